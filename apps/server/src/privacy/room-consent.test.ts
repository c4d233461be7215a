/**
 * Recording consent at the room's door: in an event that records, nobody but the hosts enters
 * before agreeing to be recorded — whatever page or client they come from — and agreeing through
 * the consent route opens the way; withdrawing closes it again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import { TestClient } from '../testing/client';
import { codeOf, liveRoomFixture } from '../rooms/testing';

describe.each(STORE_KINDS)('recording consent before entering a recorded room (%s)', (store) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ store });
  });
  afterAll(async () => {
    await t.close();
  });

  it('auto-record on: attendees and presenters are refused until they agree, hosts enter; withdrawal closes the door again', async () => {
    const room = await liveRoomFixture(t, { live: true });
    const host = await room.host();
    expect(codeOf(await host.ask({ type: 'room-settings', settings: { autoRecord: true } }))).toBe('ack');
    const ada = await room.register('Ada');
    const piet = await room.register('Piet', 'presenter');
    await expect(room.enter(ada.token)).rejects.toMatchObject({ reply: { code: 'RECORDING_CONSENT_REQUIRED' } });
    await expect(room.enter(piet.token)).rejects.toMatchObject({ reply: { code: 'RECORDING_CONSENT_REQUIRED' } });

    // The join info says what to agree to; agreeing stores it and opens the room.
    const anon = new TestClient(t.url);
    const info = await anon.get<{ recording: { records: boolean; consentVersion: number; accepted: boolean } }>(`/api/v1/join?token=${encodeURIComponent(ada.token)}`);
    expect(info.status, info.text).toBe(200);
    expect(info.body.recording).toMatchObject({ records: true, accepted: false });
    const accepted = await anon.post('/api/v1/public/consent/accept', { token: ada.token, kind: 'recording', version: info.body.recording.consentVersion });
    expect(accepted.status, accepted.text).toBeLessThan(300);
    const inRoom = await room.enter(ada.token);
    expect(inRoom.joined.room.admission).toBe('admitted');
    const [row] = await t.server.ctx.sql.query<{ n: number }>(
      "select count(*)::int as n from consent_records where person_id = $1 and kind = 'recording' and withdrawn_at is null", [ada.registrationId]);
    expect(row.n).toBe(1);
    await inRoom.client.close();

    // Withdrawn: the next entry is refused again.
    const withdrawn = await anon.post('/api/v1/public/consent/withdraw', { token: ada.token, kind: 'recording' });
    expect(withdrawn.status, withdrawn.text).toBeLessThan(300);
    await expect(room.enter(ada.token)).rejects.toMatchObject({ reply: { code: 'RECORDING_CONSENT_REQUIRED' } });
    await room.closeAll();
  });

  it('an event that does not record asks nothing', async () => {
    const room = await liveRoomFixture(t, { live: true });
    const ben = await room.attendee('Ben');
    expect(ben.joined.room.admission).toBe('admitted');
    await room.closeAll();
  });
});
