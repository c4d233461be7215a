import { inboundStats, type InboundTrackStats, type RoomConnection, type RoomMedia } from '@podium/client';

/** One received track's counters, with the room's names for it. */
export interface ReceivedTrack extends InboundTrackStats {
  producerId?: string;
  participantId?: string;
  /** audio, video or screen, as published. */
  publishedKind?: string;
}

/** What the page offers for support and automated checks: read-only connection facts. */
export interface PodiumDiagnostics {
  phase(): string;
  participantId(): string | null;
  /** Inbound RTP counters per received track (framesDecoded, packetsReceived, frame size…). */
  received(): Promise<ReceivedTrack[]>;
  /** Outbound RTP counters of the sending connection (per simulcast layer). */
  sent(): Promise<Record<string, unknown>[]>;
  /** Peer connection states. */
  connections(): { sending: string; receiving: string; iceRestarts: number };
}

/** Exposes read-only diagnostics of the stay as `window.podiumDiagnostics` (like chrome://webrtc-internals, per page). */
export function exposeDiagnostics(conn: RoomConnection, media: RoomMedia): () => void {
  const d: PodiumDiagnostics = {
    phase: () => conn.snapshot().phase,
    participantId: () => conn.snapshot().model?.self.id ?? null,
    async received() {
      const peer = media.peers.receiving;
      const report = await peer?.getStats?.();
      const byTrack = new Map(media.snapshot().remote.filter((r) => r.track).map((r) => [(r.track as MediaStreamTrack).id, r]));
      return inboundStats(report as Parameters<typeof inboundStats>[0]).map((s) => {
        const r = s.trackIdentifier ? byTrack.get(s.trackIdentifier) : undefined;
        return { ...s, ...(r ? { producerId: r.producerId, participantId: r.participantId, publishedKind: r.kind } : {}) };
      });
    },
    async sent() {
      const report = (await media.peers.sending?.getStats?.()) as Map<string, Record<string, unknown>> | undefined;
      const out: Record<string, unknown>[] = [];
      report?.forEach((s) => {
        if (s.type === 'outbound-rtp') out.push({ ...s });
      });
      return out;
    },
    connections: () => {
      const s = media.snapshot();
      return { sending: s.sending, receiving: s.receiving, iceRestarts: s.iceRestarts };
    },
  };
  (window as unknown as { podiumDiagnostics?: PodiumDiagnostics }).podiumDiagnostics = d;
  return () => {
    const w = window as unknown as { podiumDiagnostics?: PodiumDiagnostics };
    if (w.podiumDiagnostics === d) delete w.podiumDiagnostics;
  };
}
