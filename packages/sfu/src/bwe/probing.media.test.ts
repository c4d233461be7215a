import { afterEach, describe, expect, it } from 'vitest';
import { Router } from '../router/router';
import { LAYER_MARKER_OFFSET, TestSimulcastPublisher, TestSubscriber, waitFor } from '../router/testing/werift-peers';
import type { OutgoingRtpInfo } from '../router/rtp-endpoint';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A bottleneck of `bps` in front of the subscriber: a token bucket that drops what exceeds it (50 ms of burst). */
function rateLimit(bps: number): (info: OutgoingRtpInfo, length: number) => boolean {
  const depth = (bps / 8) * 0.05;
  let tokens = depth;
  let last = performance.now();
  return (_info, length) => {
    const now = performance.now();
    tokens = Math.min(depth, tokens + ((now - last) * bps) / 8000);
    last = now;
    if (tokens < length) return true;
    tokens -= length;
    return false;
  };
}

describe('send-side bandwidth probing with real WebRTC peers', () => {
  it('a large viewer that starts on the low layer climbs to the high one through probes; one behind a 400 kbps bottleneck stays low', async () => {
    const router = new Router({ transport: { listenIp: '127.0.0.1', portRange: [47400, 47499] } });
    cleanups.push(() => router.close());
    const transport = await router.createWebRtcTransport();
    // About 140 kbps, 460 kbps and 1.3 Mbps at 30 frames/s.
    const pub = await TestSimulcastPublisher.connect(transport, [
      { rid: 'l', width: 320, height: 180, packets: 1, size: 600 },
      { rid: 'm', width: 640, height: 360, packets: 2, size: 1000 },
      { rid: 'h', width: 1280, height: 720, packets: 5, size: 1100 },
    ]);
    cleanups.push(() => pub.close());
    await waitFor('simulcast producer', () => transport.producers.size === 1);
    const video = [...transport.producers.values()][0];

    // Both start with an estimate that affords only the low layer, and both render at 720p.
    const join = async (limitBps?: number) => {
      const t = await router.createWebRtcTransport({ initialAvailableBitrate: 300_000, ...(limitBps ? { outgoingRtpLossFilter: rateLimit(limitBps) } : {}) });
      const sub = TestSubscriber.attach(t, { transportCc: true });
      cleanups.push(() => sub.close());
      const consumer = t.consume(video, { viewport: { width: 1280, height: 720 } });
      const layers: number[] = [];
      consumer.on('layerschange', (l) => layers.push(l));
      await sub.ready();
      return { t, sub, consumer, layers };
    };
    const wide = await join();
    const narrow = await join(400_000);

    let narrowSince = 0;
    let sending = true;
    const loop = (async () => {
      for (let f = 0; sending; f++) {
        await pub.sendFrame(f % 30 === 0);
        await new Promise((r) => setTimeout(r, 33));
      }
    })();
    try {
      // (Before the layers' bitrates are measured the first keyframe may come from any layer.)
      await waitFor('both on the low layer', () => wide.consumer.currentLayer === 0 && narrow.consumer.currentLayer === 0, 20_000);
      narrowSince = narrow.layers.length;
      await waitFor('the unconstrained viewer on layer h', () => wide.consumer.currentLayer === 2, 40_000).catch((err: unknown) => {
        throw new Error(`${String(err)} (estimate ${Math.round(wide.t.availableBitrate)} bps, probes ${JSON.stringify(wide.t.probeStats)}, layer ${wide.consumer.currentLayer} → ${wide.consumer.targetLayer})`);
      });
      const atSwitch = wide.sub.packets(wide.consumer.ssrc).length;
      await waitFor('layer h flowing', () => wide.sub.packets(wide.consumer.ssrc).length >= atSwitch + 60);
      // The constrained viewer has probed by now, and failed.
      await waitFor('the constrained viewer probed', () => narrow.t.probeStats.clustersStarted >= 2, 20_000);
    } finally {
      sending = false;
      await loop;
    }
    expect(wide.t.probeStats.clustersSucceeded).toBeGreaterThanOrEqual(1);
    expect(wide.consumer.probesSent).toBeGreaterThan(0);
    expect(wide.sub.packets(wide.consumer.ssrc).slice(-40).every((p) => p.payload[LAYER_MARKER_OFFSET] === 2)).toBe(true);
    expect(narrow.t.probeStats.clustersSucceeded).toBe(0);
    expect(narrow.layers.slice(narrowSince)).toEqual([]);
    expect(narrow.consumer.currentLayer).toBe(0);
    expect(narrow.t.availableBitrate).toBeLessThan(500_000);
  }, 120_000);
});
