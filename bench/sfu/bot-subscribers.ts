/**
 * A bot process holding many counting subscribers (see counting-peer.ts). The orchestrator hands
 * it server offers, gets answers back, and polls aggregated counters. Connected peers are read by
 * a PolledReceiver every BOT_POLL_MS (default 5; 0: node:dgram events per datagram, as a browser).
 */
import { CountingPeer, type PeerCounters } from './counting-peer';
import { serve } from './ipc';
import { PolledReceiver } from './polled-receiver';

const peers = new Map<string, CountingPeer>();
const receiver = PolledReceiver.start(Number(process.env.BOT_POLL_MS ?? 5));
const waiting = new Set<CountingPeer>();
// Peers move to polled reading once DTLS gave them keys (the handshake keeps its events).
const adopt = setInterval(() => {
  for (const p of waiting) {
    if (!p.connected) continue;
    waiting.delete(p);
    receiver?.adopt(p);
  }
}, 20);
if (!receiver) clearInterval(adopt);

serve({
  join: async ({ offers }) => {
    const list = offers as Array<{ id: string; offer: string }>;
    return Promise.all(
      list.map(async ({ id, offer }) => {
        const peer = await CountingPeer.create(Number(process.env.VERIFY_EVERY ?? 50));
        peers.set(id, peer);
        if (receiver) waiting.add(peer);
        return { id, sdp: await peer.answer(offer) };
      }),
    );
  },
  status: () => {
    const total: PeerCounters = { packets: 0, expected: 0, received: 0, verified: 0, verifyFailed: 0 };
    let connected = 0;
    let receiving = 0;
    let slowestFirstVideoMs = 0;
    for (const p of peers.values()) {
      const c = p.snapshot();
      total.packets += c.packets;
      total.expected += c.expected;
      total.received += c.received;
      total.verified += c.verified;
      total.verifyFailed += c.verifyFailed;
      if (p.connected) connected++;
      if (p.firstVideoMs >= 0) {
        receiving++;
        slowestFirstVideoMs = Math.max(slowestFirstVideoMs, p.firstVideoMs);
      }
    }
    const phases: Record<string, number> = {};
    for (const p of peers.values()) phases[p.phase] = (phases[p.phase] ?? 0) + 1;
    return { peers: peers.size, connected, receiving, slowestFirstVideoMs, ...total, phases, polled: receiver?.size ?? 0 };
  },
});

process.on('SIGTERM', () => {
  for (const p of peers.values()) p.close();
  process.exit(0);
});
