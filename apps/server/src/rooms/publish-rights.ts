import type { EventType, JoinRole, MediaKind, StageGrant } from '@podium/protocol';

/**
 * Who may publish which kind of track (docs/signaling.md "Stage, hands and publishing rights"):
 * hosts and presenters always; everyone in a meeting; in a webinar or training an attendee only
 * with a grant — `speaker` for microphone, camera and screen, `camera` for the camera alone.
 */
export function mayPublishKind(eventType: EventType, role: JoinRole, grant: StageGrant, kind: MediaKind): boolean {
  if (role === 'host' || role === 'presenter' || eventType === 'meeting') return true;
  if (grant === 'speaker') return true;
  return grant === 'camera' && kind === 'video';
}

/** The kinds of track a participant may publish. */
export function publishableKinds(eventType: EventType, role: JoinRole, grant: StageGrant): MediaKind[] {
  return (['audio', 'video', 'screen'] as const).filter((k) => mayPublishKind(eventType, role, grant, k));
}
