// The recording pipeline end to end through the real server: a host bot publishes real VP8 and
// Opus for 10 s while slides change and an attendee chats; the recording's WebM tracks decode with
// ffmpeg and last as long as what was sent, the timeline holds the slide changes and messages at
// their offsets, the composed MP4 is H.264 + AAC of the recording's length, and the attendee
// receiving the tracks live got every packet while the recording ran.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bot, encodeTestMedia, waitUntil, type EncodedMedia } from '@podium/bot';
import type { Recording, RecordingTimeline, ServerMessage } from '@podium/protocol';
import { startTestServer, type TestServer } from '../testing/server';
import { liveRoomFixture, type LiveRoomFixture } from '../rooms/testing';

const run = promisify(execFile);
const hasFfmpeg = (() => {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const SECONDS = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function probe(path: string): Promise<{ duration: number; streams: { codec_type: string; codec_name: string; nb_read_frames?: string; duration?: string }[] }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'format=duration:stream=codec_type,codec_name,nb_read_frames,duration', '-of', 'json', path]);
  const j = JSON.parse(stdout) as { format: { duration: string }; streams: { codec_type: string; codec_name: string; nb_read_frames?: string }[] };
  return { duration: Number(j.format.duration), streams: j.streams };
}

describe.skipIf(!hasFfmpeg)('recording a live event with bots', () => {
  let t: TestServer;
  let room: LiveRoomFixture;
  let dir: string;
  let media: EncodedMedia;
  const bots: Bot[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podium-rec-it-'));
    t = await startTestServer({ config: { mediaEnabled: true, mediaWorkers: 1, signalMessagesPerSecond: 200, recordingSpoolDir: join(dir, 'spool') } });
    room = await liveRoomFixture(t, { live: true, event: { type: 'meeting' } });
    media = await encodeTestMedia('ffmpeg', dir, SECONDS + 2);
    const fileId = 'fil_0123456789abcdefghij';
    await t.server.ctx.sql.query(
      `insert into files (id, org_id, event_id, purpose, status, name, content_type, size, sha256, page_count, blob_key, created_at)
       values ($1, $2, $3, 'slides', 'ready', 'deck.pdf', 'application/pdf', 1000, $4, 12, $5, now())`,
      [fileId, room.org.orgId, room.eventId, 'a'.repeat(64), `test/${fileId}`],
    );
    // Encoding the clip and starting the SFU take a while on a busy shared machine.
  }, 240_000);

  afterAll(async () => {
    await Promise.all(bots.map((b) => b.crash().catch(() => undefined)));
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records every track as decodable WebM of the right length, a timeline at the right offsets, and an H.264/AAC MP4; live forwarding loses nothing', async () => {
    const host = await Bot.join({ url: t.url, token: room.hostToken(), name: 'host-bot' });
    const viewer = await Bot.join({ url: t.url, token: (await room.register('Vera')).token, name: 'viewer-bot' });
    bots.push(host, viewer);
    const seenByViewer: ServerMessage[] = [];
    viewer.signal.on('push', (m) => seenByViewer.push(m));
    await viewer.subscribeAll();
    const ask = async (bot: Bot, msg: Record<string, unknown>) => bot.signal.request(msg as never);
    await ask(host, { type: 'stage-set', content: 'slides', fileId: 'fil_0123456789abcdefghij' });

    // Recording starts before the tracks: they are recorded from when they appear.
    await ask(host, { type: 'recording-start' });
    const startedAt = Date.now();
    await waitUntil('the viewer sees the REC indicator', () => seenByViewer.some((m) => m.type === 'recording' && m.active));
    await host.publish({ audio: true, video: true });
    await host.sendingConnected();
    await waitUntil('the viewer subscribed to both tracks', () => viewer.received.size === 2);
    await viewer.receivingConnected();
    host.startSendingEncoded(media);
    const sendStart = Date.now();

    // Slide changes and chat while it runs, with their times (ms after the start) noted.
    const slides: { page: number; at: number }[] = [];
    const chats: { text: string; at: number }[] = [];
    for (const [i, page] of [2, 3, 4].entries()) {
      await sleep(2500);
      slides.push({ page, at: Date.now() - startedAt });
      await ask(host, { type: 'stage-set', page });
      const text = `Question number ${i + 1} from Vera`;
      chats.push({ text, at: Date.now() - startedAt });
      await ask(viewer, { type: 'chat-send', text, to: 'everyone' });
    }
    await ask(viewer, { type: 'chat-send', text: 'a private word to the hosts', to: 'hosts' });
    await sleep(SECONDS * 1000 - (Date.now() - sendStart));
    host.stopSending();
    const sentFor = (Date.now() - sendStart) / 1000;
    await sleep(500);

    // The viewer received every packet the host sent while the recording ran.
    const received = viewer.summary().received;
    expect(received.find((r) => r.kind === 'audio')).toMatchObject({ packets: host.sent.audioPackets, lost: 0 });
    expect(received.find((r) => r.kind === 'video')).toMatchObject({ packets: host.sent.videoPackets, lost: 0 });

    await ask(host, { type: 'recording-stop' });
    const list = await room.org.member.get(`/api/v1/orgs/${room.org.orgId}/events/${room.eventId}/recordings`);
    expect(list.status).toBe(200);
    const id = (list.body.items as Recording[])[0].id;
    await t.server.recordings.finalized(id);
    const rec = (await room.org.member.get(`/api/v1/orgs/${room.org.orgId}/recordings/${id}`)).body as Recording;
    expect(rec.status).toBe('ready');
    expect(rec.tracks.map((x) => x.kind).sort()).toEqual(['audio', 'video']);

    for (const track of rec.tracks) {
      const res = await fetch(`${t.url}/api/v1/orgs/${room.org.orgId}/recordings/${id}/tracks/${track.id}/content`, { headers: { cookie: room.org.member.headers.cookie! } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(track.kind === 'audio' ? 'audio/webm' : 'video/webm');
      const file = join(dir, `${track.kind}.webm`);
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const p = await probe(file);
      expect(p.streams[0].codec_name).toBe(track.kind === 'audio' ? 'opus' : 'vp8');
      expect(Number(p.streams[0].nb_read_frames)).toBeGreaterThan(track.kind === 'audio' ? 45 * SECONDS : 20 * SECONDS);
      const { stderr } = await run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-']);
      expect(stderr, `${track.kind} decodes without errors`).toBe('');
      expect(Math.abs(p.duration - sentFor), `${track.kind} lasts as long as it was sent`).toBeLessThan(0.5);
      expect(Math.abs(track.durationMs / 1000 - sentFor)).toBeLessThan(0.5);
      expect(track.offsetMs).toBeGreaterThan(0);
      expect(track.displayName).toBe(host.joined.room.self.displayName);
    }

    // A Range request gets the part asked for.
    const video = rec.tracks.find((x) => x.kind === 'video')!;
    const part = await fetch(`${t.url}/api/v1/orgs/${room.org.orgId}/recordings/${id}/tracks/${video.id}/content`, { headers: { cookie: room.org.member.headers.cookie!, range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect((await part.arrayBuffer()).byteLength).toBe(100);

    const timeline = (await room.org.member.get(`/api/v1/orgs/${room.org.orgId}/recordings/${id}/timeline`)).body as RecordingTimeline;
    expect(timeline.entries[0]).toMatchObject({ type: 'initial', stage: { content: 'slides', slides: { page: 1 } } });
    const stageEntries = timeline.entries.filter((e) => e.type === 'stage');
    for (const s of slides) {
      const e = stageEntries.find((x) => x.type === 'stage' && x.stage.slides?.page === s.page);
      expect(e, `slide ${s.page}`).toBeDefined();
      expect(Math.abs(e!.at - s.at)).toBeLessThan(500);
    }
    const chatEntries = timeline.entries.filter((e) => e.type === 'chat');
    expect(chatEntries.map((e) => (e.type === 'chat' ? e.message.text : ''))).toEqual(chats.map((c) => c.text));
    for (const c of chats) expect(Math.abs(chatEntries.find((e) => e.type === 'chat' && e.message.text === c.text)!.at - c.at)).toBeLessThan(500);
    expect(JSON.stringify(timeline)).not.toContain('a private word');
    expect(timeline.entries.filter((e) => e.type === 'track-started')).toHaveLength(2);

    // The composed MP4: the job runs, reports progress, and stores an H.264 + AAC file of the recording's length.
    while ((await t.server.ctx.jobs.runDue()) > 0) { /* until the MP4 job ran */ }
    const done = (await room.org.member.get(`/api/v1/orgs/${room.org.orgId}/recordings/${id}`)).body as Recording;
    expect(done.mp4).toMatchObject({ status: 'ready', progress: 1, error: null });
    const mp4 = await fetch(`${t.url}/api/v1/orgs/${room.org.orgId}/recordings/${id}/mp4`, { headers: { cookie: room.org.member.headers.cookie! } });
    expect(mp4.status).toBe(200);
    const mp4File = join(dir, 'out.mp4');
    writeFileSync(mp4File, Buffer.from(await mp4.arrayBuffer()));
    const p = await probe(mp4File);
    expect(p.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual(['audio:aac', 'video:h264']);
    expect(Math.abs(p.duration - done.durationMs! / 1000)).toBeLessThan(1);
  }, 240_000);
});

describe.skipIf(!hasFfmpeg)('a server stopped while recording', () => {
  it('stops and stores the recording before it exits: the row is ready and every track decodes for as long as it was sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podium-rec-stop-'));
    const t = await startTestServer({ config: { mediaEnabled: true, mediaWorkers: 1, signalMessagesPerSecond: 200, recordingSpoolDir: join(dir, 'spool') } });
    const host: Bot[] = [];
    try {
      const room = await liveRoomFixture(t, { live: true, event: { type: 'meeting' } });
      const clip = await encodeTestMedia('ffmpeg', dir, 6);
      const bot = await Bot.join({ url: t.url, token: room.hostToken(), name: 'host-bot' });
      host.push(bot);
      await bot.signal.request({ type: 'recording-start' } as never);
      await bot.publish({ audio: true, video: true });
      await bot.sendingConnected();
      bot.startSendingEncoded(clip);
      const sendStart = Date.now();
      await sleep(4000);
      // A planned restart (SIGTERM → close): nobody stopped the recording. The bot keeps sending until the server is gone.
      await t.server.close();
      const sentFor = (Date.now() - sendStart) / 1000;
      bot.stopSending();

      const sql = t.server.ctx.sql;
      const [rec] = await sql.query<{ id: string; status: string; duration_ms: string | null }>(`select id, status, duration_ms from recordings`);
      expect(rec?.status).toBe('ready');
      const tracks = await sql.query<{ kind: string; status: string; blob_key: string | null; duration_ms: string }>(`select kind, status, blob_key, duration_ms from recording_tracks where recording_id = $1 order by kind`, [rec!.id]);
      expect(tracks.map((x) => `${x.kind}:${x.status}`)).toEqual(['audio:ready', 'video:ready']);
      for (const track of tracks) {
        const file = join(dir, `${track.kind}.webm`);
        const chunks: Buffer[] = [];
        for await (const chunk of await t.server.ctx.blobs.get(track.blob_key!)) chunks.push(chunk as Buffer);
        writeFileSync(file, Buffer.concat(chunks));
        const p = await probe(file);
        expect(p.streams[0].codec_name).toBe(track.kind === 'audio' ? 'opus' : 'vp8');
        // Recorded from when the track appeared until the server closed it (at most the time it was sent).
        expect(p.duration, `${track.kind} lasts until the server stopped`).toBeGreaterThan(3);
        expect(p.duration).toBeLessThanOrEqual(sentFor + 0.5);
        expect(Math.abs(Number(track.duration_ms) / 1000 - p.duration)).toBeLessThan(0.5);
      }
    } finally {
      await Promise.all(host.map((b) => b.crash().catch(() => undefined)));
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe.skipIf(!hasFfmpeg)('a server that died while recording', () => {
  it('salvages the recording on its next start: the tracks decode up to where they were written, the timeline keeps what came before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podium-rec-crash-'));
    const spool = join(dir, 'spool');
    const t = await startTestServer({ config: { mediaEnabled: true, mediaWorkers: 1, signalMessagesPerSecond: 200, recordingSpoolDir: spool } });
    const bots: Bot[] = [];
    try {
      const room = await liveRoomFixture(t, { live: true, event: { type: 'meeting' } });
      const clip = await encodeTestMedia('ffmpeg', dir, 8);
      const host = await Bot.join({ url: t.url, token: room.hostToken(), name: 'host-bot' });
      bots.push(host);
      const ask = async (msg: Record<string, unknown>) => host.signal.request(msg as never);
      await ask({ type: 'recording-start' });
      await host.publish({ audio: true, video: true });
      await host.sendingConnected();
      host.startSendingEncoded(clip);
      await sleep(2000);
      await ask({ type: 'chat-send', text: 'Before the crash', to: 'everyone' });
      await sleep(2500);
      // What a crash at this moment leaves on disk: the spool folder as it is now, files unfinished.
      const [id] = readdirSync(spool) as [string];
      const crashed = join(dir, 'crashed');
      cpSync(join(spool, id), crashed, { recursive: true });
      const crashedAfter = Date.now() / 1000;
      await ask({ type: 'chat-send', text: 'After the crash', to: 'everyone' });
      await ask({ type: 'recording-stop' });
      await t.server.recordings.finalized(id);
      host.stopSending();

      // The server had not got to stop it: the rows as they were while it ran, the folder as the crash left it.
      const sql = t.server.ctx.sql;
      await sql.query(`update recordings set status = 'recording', ended_at = null, duration_ms = null, timeline_key = null, timeline_size = null where id = $1`, [id]);
      await sql.query(`update recording_tracks set status = 'recording', blob_key = null, size = 0, duration_ms = 0 where recording_id = $1`, [id]);
      cpSync(crashed, join(spool, id), { recursive: true });
      expect(await t.server.recordings.recover()).toEqual({ salvaged: 1, failed: 0 });
      expect(readdirSync(spool)).toEqual([]);

      const rec = (await room.org.member.get(`/api/v1/orgs/${room.org.orgId}/recordings/${id}`)).body as Recording;
      expect(rec.status).toBe('ready');
      expect(rec.tracks.map((x) => x.kind).sort()).toEqual(['audio', 'video']);
      const [started] = await sql.query<{ started_at: Date }>(`select started_at from recordings where id = $1`, [id]);
      const crashedAtS = crashedAfter - new Date(started!.started_at).getTime() / 1000;
      for (const track of rec.tracks) {
        const res = await fetch(`${t.url}/api/v1/orgs/${room.org.orgId}/recordings/${id}/tracks/${track.id}/content`, { headers: { cookie: room.org.member.headers.cookie! } });
        expect(res.status).toBe(200);
        const file = join(dir, `${track.kind}.webm`);
        writeFileSync(file, Buffer.from(await res.arrayBuffer()));
        const p = await probe(file);
        expect(p.streams[0].codec_name).toBe(track.kind === 'audio' ? 'opus' : 'vp8');
        const { stderr } = await run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-']);
        expect(stderr, `${track.kind} decodes without errors`).toBe('');
        // It ends where the crash left it (the last second or so may not have reached the disk).
        expect(track.offsetMs / 1000 + p.duration).toBeLessThanOrEqual(crashedAtS + 0.5);
        expect(track.offsetMs / 1000 + p.duration).toBeGreaterThan(crashedAtS - 2);
        expect(Math.abs(track.durationMs / 1000 - p.duration)).toBeLessThan(0.1);
      }
      const timeline = (await room.org.member.get(`/api/v1/orgs/${room.org.orgId}/recordings/${id}/timeline`)).body as RecordingTimeline;
      const chats = timeline.entries.filter((e) => e.type === 'chat').map((e) => (e.type === 'chat' ? e.message.text : ''));
      expect(chats).toEqual(['Before the crash']);
      expect(timeline.entries[0]?.type).toBe('initial');
      // Its MP4 is made like any other's.
      while ((await t.server.ctx.jobs.runDue()) > 0) { /* until the MP4 job ran */ }
      const done = (await room.org.member.get(`/api/v1/orgs/${room.org.orgId}/recordings/${id}`)).body as Recording;
      expect(done.mp4).toMatchObject({ status: 'ready', error: null });
    } finally {
      await Promise.all(bots.map((b) => b.crash().catch(() => undefined)));
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
