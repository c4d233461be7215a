// GET /api/v1/admin/media: the installation's administrator sees each SFU worker's connections and
// load and where clients send media; nobody else sees it; a server without media says so.
import { afterAll, describe, expect, it } from 'vitest';
import { Bot, waitUntil } from '@podium/bot';
import type { MediaStatus } from '@podium/protocol';
import { liveRoomFixture } from '../rooms/testing';
import { seedUserSession } from '../testing/seed-rows';
import { startTestServer, type TestServer } from '../testing/server';

const servers: TestServer[] = [];
const bots: Bot[] = [];
afterAll(async () => {
  await Promise.all(bots.map((b) => b.crash().catch(() => undefined)));
  for (const t of servers) await t.close();
});

describe('the media status for operators', () => {
  it('lists each worker with its connections, CPU and packet rate once a live event uses media; only for the instance admin', async () => {
    const t = await startTestServer({ config: { mediaEnabled: true, mediaWorkers: 1, mediaUdpPort: 47470, mediaTcpPort: 0, signalMessagesPerSecond: 200 } });
    servers.push(t);
    const admin = await seedUserSession(t.server.ctx.sql, { instanceAdmin: true });
    const get = () => t.client().get('/api/v1/admin/media', { cookie: admin.cookie });
    // Nothing asked for media yet: on, but no worker running.
    expect((await get()).body).toMatchObject({ enabled: true, workers: [], events: 0, udp: { mode: 'shared', firstPort: 47470 }, tcpPort: 0 });

    const room = await liveRoomFixture(t, { live: true, event: { type: 'meeting' } });
    const host = await Bot.join({ url: t.url, token: room.hostToken(), name: 'host-bot' });
    const viewer = await Bot.join({ url: t.url, token: (await room.register('Vera')).token, name: 'viewer-bot' });
    bots.push(host, viewer);
    await viewer.subscribeAll();
    await host.publish({ audio: true, video: true });
    await host.sendingConnected();
    await waitUntil('the viewer subscribed', () => viewer.received.size === 2);
    await viewer.receivingConnected();
    host.startSending();
    const first = (await get()).body as MediaStatus;
    expect(first).toMatchObject({ enabled: true, events: 1, routers: 1 });
    expect(first.workers).toHaveLength(1);
    expect(first.workers[0]).toMatchObject({ index: 0, routers: 1, transports: 2, cpuPercent: null, packetsPerSecond: null });
    await new Promise((r) => setTimeout(r, 1500));
    const second = (await get()).body as MediaStatus;
    const w = second.workers[0]!;
    // Rates over the time since the previous reading: the viewer is being sent audio and video.
    expect(w.packetsPerSecond).toBeGreaterThan(20);
    expect(w.cpuPercent).toBeGreaterThan(0);
    expect(w.eventLoopDelayP99Ms).toBeGreaterThanOrEqual(0);
    expect(typeof w.nativeSend).toBe('boolean');
    if (!w.nativeSend) expect(w.nativeSendUnavailable).toBeTruthy();
    host.stopSending();

    // Not for organization owners, not without signing in.
    const owner = await seedUserSession(t.server.ctx.sql, { memberships: [{ orgId: room.org.orgId as never, role: 'owner' }] });
    expect((await t.client().get('/api/v1/admin/media', { cookie: owner.cookie })).status).toBe(403);
    expect((await t.client().get('/api/v1/admin/media')).status).toBe(401);
  }, 60_000);

  it('says media is off on a server without it, with the ports it would use', async () => {
    const t = await startTestServer();
    servers.push(t);
    const admin = await seedUserSession(t.server.ctx.sql, { instanceAdmin: true });
    const res = await t.client().get('/api/v1/admin/media', { cookie: admin.cookie });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ enabled: false, workers: [], events: 0, routers: 0, announcedIp: '', udp: { mode: 'range', min: 40000, max: 49999 }, tcpPort: 0 });
  });
});
