import type { MediaKind, ServerMessageOf } from '@podium/protocol';
import { publishableKinds } from '../rooms/publish-rights';
import type { MediaSession, MediaSignalingHandler } from './media-handler';

const ALL_KINDS: readonly MediaKind[] = ['audio', 'video', 'screen'];

/**
 * What a room event about this participant means for its tracks: a host's moderation pauses the
 * microphone or closes the camera or screen; a grant taken away closes what may no longer be
 * published. The session's grant is updated first, so a later publish is judged by the new one.
 */
export async function enforceOnMedia(
  media: MediaSignalingHandler | undefined,
  session: MediaSession,
  msg: ServerMessageOf<'moderated'> | ServerMessageOf<'participant-updated'>,
): Promise<void> {
  if (msg.type === 'participant-updated') {
    const grant = msg.participant.grant ?? 'none';
    if (grant === session.grant) return;
    session.grant = grant;
    const allowed = publishableKinds(session.eventType, session.role, grant);
    const close = ALL_KINDS.filter((k) => !allowed.includes(k));
    if (close.length) await media?.restrict(session, { close });
    return;
  }
  if (msg.action === 'mute-audio') await media?.restrict(session, { pause: ['audio'] });
  else if (msg.action === 'stop-video') await media?.restrict(session, { close: ['video'] });
  else if (msg.action === 'stop-screen') await media?.restrict(session, { close: ['screen'] });
}
