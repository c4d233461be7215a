import { createHmac } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load';
import { startTestServer, type TestServer } from '../testing/server';
import { liveRoomFixture } from '../rooms/testing';
import { iceServersFromConfig } from './ice-servers';

const SECRET = 'turn-shared-secret-0123456789';

describe('STUN and TURN servers for participants', () => {
  let t: TestServer | undefined;
  afterAll(async () => {
    await t?.close();
  });

  it('joined carries the configured STUN server and TURN with a time-limited credential coturn accepts', async () => {
    t = await startTestServer({
      config: { mediaEnabled: true, mediaStunUrls: ['stun:stun.example.org:3478'], mediaTurnUrls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:443?transport=tcp'], mediaTurnSecret: SECRET },
    });
    const room = await liveRoomFixture(t, { live: true });
    const ada = await room.attendee('Ada');
    const servers = ada.joined.iceServers ?? [];
    expect(servers[0]).toEqual({ urls: ['stun:stun.example.org:3478'] });
    const turn = servers[1];
    expect(turn.urls).toEqual(['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:443?transport=tcp']);
    const [expiry, user] = turn.username!.split(':');
    expect(user).toBe(ada.participantId);
    expect(Number(expiry)).toBeGreaterThan(Date.now() / 1000 + 23 * 3600);
    expect(turn.credential).toBe(createHmac('sha1', SECRET).update(turn.username!).digest('base64'));
    await room.closeAll();
  });

  it('with nothing configured, no server at all is given (no public STUN behind the operator\'s back)', () => {
    expect(iceServersFromConfig(loadConfig({}, {}))).toBeUndefined();
  });

  it('a malformed URL or TURN without its secret stops the start with a clear message', () => {
    expect(() => iceServersFromConfig(loadConfig({}, { mediaTurnUrls: ['turn:turn.example.org:3478'] }))).toThrow(/without a TURN secret/);
    expect(() => iceServersFromConfig(loadConfig({}, { mediaStunUrls: ['http://stun.example.org'] }))).toThrow(/Invalid STUN\/TURN settings/);
  });
});
