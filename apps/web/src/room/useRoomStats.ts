import { useEffect, useRef, useState } from 'react';
import { QualityMeter, inboundStats, packetTotals, roundTripTime, loudest, type RoomMediaSnapshot, type RoomModel } from '@podium/client';
import { useRoom } from './context';

/** How often the statistics are read. */
const STATS_MS = 3000;

/**
 * Reads the peer connections' statistics: sends one's own connection quality (loss, RTT) as
 * `quality-report` when it changes, and — while the server sends no active-speaker events —
 * works out the active speaker from the received audio levels.
 */
export function useRoomStats(model: RoomModel, media: RoomMediaSnapshot): { fallbackSpeaker: string | null } {
  const room = useRoom();
  const [fallbackSpeaker, setFallback] = useState<string | null>(null);
  const latest = useRef({ model, media });
  latest.current = { model, media };
  useEffect(() => {
    const meter = new QualityMeter();
    let reported = latest.current.model.self.quality ?? 'unknown';
    let stopped = false;
    const tick = async () => {
      const { sending, receiving } = room.media.peers;
      const [send, recv] = await Promise.all([sending?.getStats?.().catch(() => null), receiving?.getStats?.().catch(() => null)]);
      if (stopped) return;
      const recvStats = recv as Parameters<typeof packetTotals>[0];
      const sendStats = send as Parameters<typeof packetTotals>[0];
      const totals = recv ? packetTotals(recvStats) : null;
      const rtt = roundTripTime(sendStats) ?? roundTripTime(recvStats);
      const q = meter.sample(totals, rtt);
      if (q !== 'unknown' && q !== reported) {
        reported = q;
        void room.conn.request({ type: 'quality-report', quality: q }).catch(() => undefined);
      }
      // Active speaker from audio levels, only while the server does not name one.
      const { model: m, media: md } = latest.current;
      if (m.state.activeSpeaker === undefined && recv) {
        const byMid = new Map<string, string>();
        for (const r of md.remote) if (r.kind === 'audio' && r.mid !== null) byMid.set(r.mid, r.participantId);
        const levels = new Map<string, number>();
        for (const s of inboundStats(recvStats)) {
          if (s.kind !== 'audio' || s.audioLevel === undefined || s.mid === undefined) continue;
          const who = byMid.get(s.mid);
          if (who) levels.set(who, Math.max(levels.get(who) ?? 0, s.audioLevel));
        }
        const l = loudest(levels);
        setFallback((prev) => l ?? prev);
      }
    };
    const timer = setInterval(() => void tick(), STATS_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [room.media, room.conn]);
  return { fallbackSpeaker };
}
