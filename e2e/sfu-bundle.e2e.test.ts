import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Router } from '../packages/sfu/src/router/router';
import type { Consumer } from '../packages/sfu/src/router/consumer';
import { TestPublisher, waitFor } from '../packages/sfu/src/router/testing/werift-peers';
import type { WebRtcTransport } from '../packages/sfu/src/transport/webrtc-transport';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/browser';

/**
 * The SFU's renegotiation against a real Chromium subscriber (max-bundle): consumers closing and
 * appearing on one receiving transport. Regression tests for offers Chromium refused (no BUNDLE
 * group once every consumer closed) or applied by moving the bundle to a new transport (the
 * group's first section rejected), after which nothing more arrived.
 */
let browser: Browser;
let router: Router;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns'], headless: true });
  router = new Router({ transport: { listenIp: '127.0.0.1', portRange: [47900, 47999] } });
});
afterAll(async () => {
  router?.close();
  await browser?.close();
});

/** A Chromium page subscribing through `transport`, answering its offers; offer failures are collected. */
async function chromeSubscriber(transport: WebRtcTransport): Promise<{ close: () => Promise<void>; failures: string[]; received: () => Promise<Record<string, number>> }> {
  const page = await browser.newPage();
  await page.evaluate(() => {
    (window as unknown as { pc: RTCPeerConnection }).pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  });
  const failures: string[] = [];
  let closed = false;
  let running = false;
  let again = false;
  const negotiate = async () => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const r = await page.evaluate(async (sdp) => {
          const pc = (window as unknown as { pc: RTCPeerConnection }).pc;
          try {
            await pc.setRemoteDescription({ type: 'offer', sdp });
            await pc.setLocalDescription(await pc.createAnswer());
            return { sdp: pc.localDescription!.sdp };
          } catch (e) {
            return { error: String(e) };
          }
        }, transport.createOffer());
        if ('error' in r) failures.push(r.error as string);
        else await transport.processAnswer(r.sdp as string);
      } while (again && failures.length === 0 && !closed);
    } catch (err) {
      if (!closed) throw err;
    } finally {
      running = false;
    }
  };
  transport.on('negotiationneeded', () => void negotiate());
  const received = () =>
    page.evaluate(async () => {
      const out: Record<string, number> = {};
      (await (window as unknown as { pc: RTCPeerConnection }).pc.getStats()).forEach((s: { type: string; mid?: string; packetsReceived?: number }) => {
        if (s.type === 'inbound-rtp' && s.mid !== undefined) out[s.mid] = s.packetsReceived ?? 0;
      });
      return out;
    });
  const close = async () => {
    closed = true;
    await page.close();
  };
  return { close, failures, received };
}

async function publisher(): Promise<{ pub: TestPublisher; transport: WebRtcTransport }> {
  const transport = await router.createWebRtcTransport();
  const pub = await TestPublisher.connect(transport);
  await waitFor('producers', () => transport.producers.size === 2);
  return { pub, transport };
}

/** Sends audio and video from whichever publishers are in `pubs` until stopped. */
function pump(pubs: Set<TestPublisher>): () => Promise<void> {
  let on = true;
  const loop = (async () => {
    for (let i = 0; on; i++) {
      for (const p of pubs) {
        if (p.pc.connectionState !== 'connected') continue;
        p.sendVideoFrame(i % 25 === 0);
        p.sendAudio();
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return async () => {
    on = false;
    await loop;
  };
}

describe('SFU renegotiation with a Chromium subscriber (max-bundle)', () => {
  it('keeps media flowing when the first track closes, when all close, and when new ones replace them in one offer', async () => {
    const sub = await router.createWebRtcTransport();
    const chrome = await chromeSubscriber(sub);
    const pubs = new Set<TestPublisher>();
    const stop = pump(pubs);
    try {
      const first = await publisher();
      pubs.add(first.pub);
      const [audio, video] = ['audio', 'video'].map((k) => sub.consume([...first.transport.producers.values()].find((p) => p.kind === k)!)) as [Consumer, Consumer];
      await expect.poll(async () => Object.values(await chrome.received()).filter((n) => n > 20).length, { timeout: 20_000 }).toBe(2);

      // The first section (the BUNDLE tag) closes: the other track keeps arriving.
      audio.close();
      const atClose = (await chrome.received())[video.mid] ?? 0;
      await expect.poll(async () => (await chrome.received())[video.mid] ?? 0, { timeout: 15_000 }).toBeGreaterThan(atClose + 50);

      // The publisher goes and another one comes in the same moment: one offer closes and adds.
      const second = await publisher();
      pubs.add(second.pub);
      pubs.delete(first.pub);
      first.transport.close();
      const fresh = [...second.transport.producers.values()].map((p) => sub.consume(p));
      await expect.poll(async () => {
        const r = await chrome.received();
        return fresh.every((c) => (r[c.mid] ?? 0) > 20);
      }, { timeout: 20_000 }).toBe(true);

      // Everything closes: the offer keeps a BUNDLE group; then a new track arrives again.
      second.transport.close();
      await waitFor('consumers closed', () => sub.consumers.size === 0);
      await waitFor('renegotiated', () => sub.signalingState === 'stable' && !sub.closed, 10_000);
      const third = await publisher();
      pubs.add(third.pub);
      pubs.delete(second.pub);
      const last = [...third.transport.producers.values()].map((p) => sub.consume(p));
      await expect.poll(async () => {
        const r = await chrome.received();
        return last.every((c) => (r[c.mid] ?? 0) > 20);
      }, { timeout: 20_000 }).toBe(true);
      expect(chrome.failures).toEqual([]);
      third.transport.close();
      await Promise.all([first.pub.close(), second.pub.close(), third.pub.close()]);
    } finally {
      await stop();
      await chrome.close();
      sub.close();
    }
  }, 120_000);
});
