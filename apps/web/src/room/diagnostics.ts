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
  /** Where each peer connection's media goes now: the selected pair's remote candidate ("udp 203.0.113.5:40012"). */
  mediaPaths(): Promise<{ sending?: string; receiving?: string }>;
  /** The tracks of others this page subscribes to, as the room names them. */
  subscriptions(): { producerId: string; participantId: string; kind: string; consumerId: string | null; mid: string | null; hasTrack: boolean; paused: boolean; maxWidth?: number; maxHeight?: number }[];
  /** Tracks published in the room now, and this page's own publications. */
  tracks(): { room: { producerId: string; participantId: string; kind: string }[]; mine: { kind: string; producerId: string | null; pending: boolean }[]; lastError: unknown; offerErrors: string[] };
  /** Drops the signaling connection as a network failure would (support: check that the room comes back). */
  dropConnection(): void;
}

/** Exposes read-only diagnostics of the stay as `window.podiumDiagnostics` (like chrome://webrtc-internals, per page). */
export function exposeDiagnostics(conn: RoomConnection, media: RoomMedia): () => void {
  const d: PodiumDiagnostics = {
    phase: () => conn.snapshot().phase,
    participantId: () => conn.snapshot().model?.self.id ?? null,
    async received() {
      const peer = media.peers.receiving;
      const report = await peer?.getStats?.();
      // By m-section: a recycled section keeps its receiver track (and that track's id) for a new consumer.
      const byMid = new Map(media.snapshot().remote.filter((r) => r.mid !== null).map((r) => [r.mid as string, r]));
      return inboundStats(report as Parameters<typeof inboundStats>[0]).map((s) => {
        const r = s.mid !== undefined ? byMid.get(s.mid) : undefined;
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
    async mediaPaths() {
      const [sending, receiving] = await Promise.all([selectedRemote(media.peers.sending), selectedRemote(media.peers.receiving)]);
      return { ...(sending ? { sending } : {}), ...(receiving ? { receiving } : {}) };
    },
    dropConnection: () => conn.dropConnection(),
    tracks: () => ({
      room: (conn.snapshot().model?.producers ?? []).map((p) => ({ producerId: p.producerId, participantId: p.participantId, kind: p.kind })),
      mine: Object.values(media.snapshot().local).map((l) => ({ kind: l!.kind, producerId: l!.producerId, pending: l!.pending })),
      lastError: media.snapshot().lastError,
      offerErrors: media.offerErrors,
    }),
    subscriptions: () => media.snapshot().remote.map((r) => ({
      producerId: r.producerId, participantId: r.participantId, kind: r.kind, consumerId: r.consumerId, mid: r.mid, hasTrack: r.track !== null,
      paused: r.consumerPaused, ...media.layerPreference(r.producerId),
    })),
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

/** The remote candidate of a peer connection's selected candidate pair, as "protocol address:port". */
async function selectedRemote(peer: { getStats?: () => Promise<unknown> } | undefined): Promise<string | undefined> {
  const report = (await peer?.getStats?.()) as Map<string, Record<string, unknown>> | undefined;
  if (!report) return undefined;
  let pairId: unknown;
  report.forEach((s) => {
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') pairId = s.selectedCandidatePairId;
  });
  const pair = typeof pairId === 'string' ? report.get(pairId) : undefined;
  const remote = typeof pair?.remoteCandidateId === 'string' ? report.get(pair.remoteCandidateId) : undefined;
  return remote ? `${String(remote.protocol)} ${String(remote.address ?? remote.ip)}:${String(remote.port)}` : undefined;
}
