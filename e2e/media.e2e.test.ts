import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { expectRising, roomUrl, setUpWebinar, useMediaE2E, waitForReceived, type Received } from './lib/room';
import { screenshot } from './lib/suite';

/** The page's outbound RTP streams (one per simulcast layer). */
function sent(page: Page): Promise<Record<string, unknown>[]> {
  return page.evaluate(async () => {
    const d = (window as unknown as { podiumDiagnostics?: { sent(): Promise<Record<string, unknown>[]> } }).podiumDiagnostics;
    return d ? d.sent() : [];
  });
}

const camera = (r: Received) => r.publishedKind === 'video';
const screen = (r: Received) => r.publishedKind === 'screen';
const mic = (r: Received) => r.publishedKind === 'audio';

describe('media in the browser (issue 3)', () => {
  const e2e = useMediaE2E();

  it('a presenter publishes camera (simulcast), microphone and screen; three attendees receive them; a small viewer gets a lower layer', async () => {
    const { podium } = e2e;
    const w = await setUpWebinar(podium, { title: 'Media check', presenters: ['Piet Presenter'], attendees: ['Ada', 'Ben', 'Cleo'] });
    // The event is live already (started through the API), so attendees go straight in.
    const started = await w.instance.client.post(`/api/v1/orgs/${w.instance.orgId}/events/${w.event.id}/status`, { status: 'live' });
    expect(started.status).toBe(200);

    // The presenter enters with camera and microphone from the lobby, then shares the screen.
    const pres = await e2e.newPage();
    await pres.goto(roomUrl(podium, w.event.id, w.presenters[0].token));
    await pres.getByRole('button', { name: 'Test camera' }).click();
    await pres.getByRole('button', { name: 'Test microphone' }).click();
    await pres.locator('video.rm-preview-video').waitFor();
    await pres.getByRole('button', { name: 'Join the event' }).click();
    await pres.getByRole('button', { name: 'Mute the microphone' }).waitFor();
    await pres.getByRole('button', { name: 'Turn off the camera' }).waitFor();
    await pres.getByRole('button', { name: 'Share your screen' }).click();
    await pres.getByRole('button', { name: 'Stop sharing your screen' }).waitFor();

    // The camera goes out as three simulcast layers (rids l, m, h).
    await expect.poll(async () => (await sent(pres)).filter((s) => s.kind === 'video' && typeof s.rid === 'string').map((s) => s.rid).sort().join(','), { timeout: 20_000 })
      .toContain('h,l,m');

    // Three attendees; Cleo watches on a phone-sized window with the speakers strip (small tiles).
    const [ada, ben, cleo] = await Promise.all(w.attendees.map(async (a, i) => {
      const page = await e2e.newPage(i === 2 ? { viewport: { width: 360, height: 640 } } : { viewport: { width: 1024, height: 640 } });
      await page.goto(roomUrl(podium, w.event.id, a.token));
      await page.getByRole('button', { name: 'Join the event' }).click();
      await page.getByRole('toolbar', { name: 'Room controls' }).waitFor();
      return page;
    }));
    // Ada and Ben show the presenter alone and large; Cleo keeps the screen share large and the camera in the strip.
    for (const p of [ada, ben]) {
      await p.getByRole('button', { name: 'Layout' }).click();
      await p.getByRole('menuitemcheckbox', { name: 'Speaker only' }).click();
      await p.getByRole('button', { name: 'Hide the side panel' }).click();
    }
    await cleo.getByRole('button', { name: 'Hide the side panel' }).click().catch(() => undefined);

    for (const p of [ada, ben, cleo]) {
      await waitForReceived(p, 'camera, screen and microphone', (r) => r.some((x) => camera(x) && (x.framesDecoded ?? 0) > 0) && r.some((x) => screen(x) && (x.framesDecoded ?? 0) > 0) && r.some((x) => mic(x) && x.packetsReceived > 0));
      // Video decodes and sound arrives continuously.
      await expectRising(p, 'camera frames', camera, 'framesDecoded');
      await expectRising(p, 'screen frames', screen, 'framesDecoded', 2);
      await expectRising(p, 'audio packets', mic, 'packetsReceived', 20);
      // The sound plays: an <audio> element with the presenter's microphone is playing.
      expect(await p.evaluate(() => [...document.querySelectorAll('audio')].some((a) => !a.paused && a.srcObject !== null))).toBe(true);
    }

    // The large viewer gets a higher layer than the small one once the bandwidth estimate allows.
    const width = async (p: Page) => Math.max(0, ...(await waitForReceived(p, 'camera size', (r) => r.some((x) => camera(x) && (x.frameWidth ?? 0) > 0))).filter(camera).map((x) => x.frameWidth ?? 0));
    // (The SFU also follows each viewer's bandwidth estimate, which moves on a loaded machine: the
    // large viewer is judged by the best layer it reached, the small one by the largest it got.)
    await expect.poll(() => width(ada), { timeout: 45_000, interval: 1000 }).toBeGreaterThanOrEqual(320);
    await expect.poll(() => width(cleo), { timeout: 20_000, interval: 1000 }).toBeLessThanOrEqual(160);
    let big = 0;
    let small = 0;
    for (let i = 0; i < 6; i++) {
      big = Math.max(big, await width(ada));
      small = Math.max(small, await width(cleo));
      await cleo.waitForTimeout(1000);
    }
    console.log(`camera layer received: large viewer up to ${big}px wide, small viewer up to ${small}px wide`);
    expect(big).toBeGreaterThanOrEqual(320);
    expect(small).toBeLessThanOrEqual(160);
    await screenshot(ada, 'media-attendee-speaker', { fullPage: false });
    await screenshot(cleo, 'media-attendee-small', { fullPage: false });

    // Muting pauses the producer: the attendees see the presenter muted.
    await pres.getByRole('button', { name: 'Mute the microphone' }).click();
    await ben.locator('.rm-tile-muted').first().waitFor();
  }, 240_000);
});
