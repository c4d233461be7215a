import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bot, waitUntil } from '@podium/bot';
import { SignalError } from '@podium/client';
import { startTestServer, type TestServer } from '../testing/server';
import { liveRoomFixture, type LiveRoomFixture } from './testing';

/** The code of a rejected request. */
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return err instanceof SignalError ? err.code : String(err);
  }
}

// Publishing rights follow the room's state, and what hosts decide about someone's tracks is
// carried out on the media plane: real bots, real SFU workers, real RTP.
describe('stage grants and moderation on the media plane', () => {
  let t: TestServer;
  const bots: Bot[] = [];
  const bot = async (token: string) => {
    const b = await Bot.join({ url: t.url, token });
    bots.push(b);
    return b;
  };

  beforeAll(async () => {
    t = await startTestServer({ config: { mediaEnabled: true, mediaWorkers: 1, signalMessagesPerSecond: 500 } });
  });
  afterAll(async () => {
    await Promise.all(bots.map((b) => b.crash().catch(() => undefined)));
    await t.close();
  });

  it('a webinar attendee publishes only once promoted; their camera reaches the others; demoted, their tracks are closed', async () => {
    const room: LiveRoomFixture = await liveRoomFixture(t, { live: true, event: { type: 'webinar' } });
    const host = await bot(room.hostToken());
    const ada = await bot((await room.register('Ada')).token);
    const viewer = await bot((await room.register('Vic')).token);
    expect(await refusal(ada.publish({ video: true }))).toBe('FORBIDDEN');
    await ada.signal.request({ type: 'hand-raise', raised: true });
    // The grant arrives as participant-updated; publishing right after it is allowed.
    const granted = new Promise<void>((resolve) => ada.signal.on('participant-updated', (m) => {
      if (m.participant.id === ada.joined.room.self.id && m.participant.grant === 'speaker') resolve();
    }));
    await host.signal.request({ type: 'stage-grant', participantId: ada.joined.room.self.id, grant: 'speaker' });
    await granted;
    const removedFor = (b: Bot) => new Promise<string>((resolve) => b.signal.on('producer-removed', (m) => resolve(m.producerId)));
    await viewer.subscribeAll();
    const [video] = await ada.publish({ video: true });
    await ada.sendingConnected();
    await waitUntil('the viewer subscribed', () => viewer.received.size >= 1);
    await viewer.receivingConnected();
    ada.startSending();
    await waitUntil('Ada\'s video at the viewer', () => [...viewer.received.values()].some((c) => c.kind === 'video' && c.packets > 30));
    const gone = removedFor(viewer);
    await host.signal.request({ type: 'stage-grant', participantId: ada.joined.room.self.id, grant: 'none' });
    expect(await gone).toBe(video.producerId);
    ada.stopSending();
    expect(await refusal(ada.publish({ audio: true }))).toBe('FORBIDDEN');
  });

  it('a host mutes a microphone (paused for everyone, the speaker may unmute) and stops a camera (closed)', async () => {
    const room = await liveRoomFixture(t, { live: true, event: { type: 'meeting' } });
    const host = await bot(room.hostToken());
    const sam = await bot((await room.register('Sam')).token);
    const moderated: string[] = [];
    sam.signal.on('moderated', (m) => moderated.push(m.action));
    const [audio, video] = await sam.publish({ audio: true, video: true });
    await sam.sendingConnected();
    const paused = new Promise<{ producerId: string; paused: boolean }>((resolve) => host.signal.on('producer-paused', (m) => resolve(m)));
    await host.signal.request({ type: 'moderate', participantId: sam.joined.room.self.id, action: 'mute-audio' });
    expect(await paused).toEqual(expect.objectContaining({ producerId: audio.producerId, paused: true }));
    const removed = new Promise<string>((resolve) => host.signal.on('producer-removed', (m) => resolve(m.producerId)));
    await host.signal.request({ type: 'moderate', participantId: sam.joined.room.self.id, action: 'stop-video' });
    expect(await removed).toBe(video.producerId);
    expect(moderated).toEqual(['mute-audio', 'stop-video']);
    // Unmuting is the speaker's own choice.
    await sam.signal.request({ type: 'resume', target: 'producer', id: audio.producerId });
    const audit = await t.server.ctx.sql.query<{ action: string }>('select action from event_audit where event_id = $1 order by at, id', [room.eventId]);
    expect(audit.map((a) => a.action)).toEqual(['moderate.mute-audio', 'moderate.stop-video']);
  });

  it('a meeting allows as many attendee cameras as its limit; the next gets CAMERA_LIMIT and nothing is published', async () => {
    const room = await liveRoomFixture(t, { live: true, event: { type: 'meeting' } });
    const host = await bot(room.hostToken());
    await host.signal.request({ type: 'room-settings', settings: { maxCameras: 1 } });
    const one = await bot((await room.register('One')).token);
    const two = await bot((await room.register('Two')).token);
    await one.publish({ video: true });
    expect(await refusal(two.publish({ video: true }))).toBe('CAMERA_LIMIT');
    await two.publish({ audio: true });
    const late = await bot((await room.register('Late')).token);
    expect((late.joined.room.producers ?? []).map((p) => p.kind).sort()).toEqual(['audio', 'video']);
  });

  it('a banned attendee is disconnected and their join link refused from then on', async () => {
    const room = await liveRoomFixture(t, { live: true });
    const host = await bot(room.hostToken());
    const { token } = await room.register('Troll');
    const troll = await bot(token);
    const closed = new Promise<{ code: number; reason: string }>((resolve) => troll.signal.on('close', resolve));
    await host.signal.request({ type: 'moderate', participantId: troll.joined.room.self.id, action: 'ban' });
    expect(await closed).toEqual({ code: 4003, reason: 'BANNED' });
    expect(await refusal(Bot.join({ url: t.url, token }))).toBe('BANNED');
  });
});
