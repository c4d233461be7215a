import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Poll } from '@podium/protocol';
import { STORE_KINDS } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import { codeOf, liveRoomFixture, settle } from './testing';

describe.each(STORE_KINDS)('polls, stage, hands and the report (%s)', (store) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ store, config: { signalHeartbeatMs: 1_000 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a poll prepared through the REST API is launched in the room; people vote once; results reach staff live and everyone once shared', async () => {
    const room = await liveRoomFixture(t, { live: true });
    const base = `/api/v1/orgs/${room.org.orgId}/events/${room.eventId}/polls`;
    const created = await room.org.member.post(base, { question: 'Which topic next?', options: ['Budget', 'Hiring', 'Roadmap'], multiple: false });
    expect(created.status).toBe(201);
    const pollId = created.body.id as string;
    expect((await room.org.member.post(base, { question: 'Dupes', options: ['A', 'a'], multiple: false })).status).toBe(400);
    const host = await room.host();
    const ada = await room.attendee('Ada');
    const bob = await room.attendee('Bob');
    expect(host.joined.room.state?.polls.map((p: Poll) => p.status)).toEqual(['draft']);
    expect(ada.joined.room.state?.polls).toEqual([]);
    expect(codeOf(await ada.ask({ type: 'poll-vote', pollId, choice: [0] }))).toBe('POLL_NOT_FOUND');
    expect(codeOf(await host.ask({ type: 'poll-launch', pollId }))).toBe('ack');
    const launched = await ada.client.waitFor((m) => m.type === 'poll');
    expect(launched.type === 'poll' && launched.poll).toMatchObject({ id: pollId, status: 'live', options: ['Budget', 'Hiring', 'Roadmap'] });
    expect(launched.type === 'poll' && launched.poll.results).toBeUndefined();
    expect(codeOf(await ada.ask({ type: 'poll-vote', pollId, choice: [0, 1] }))).toBe('VALIDATION_FAILED');
    expect(codeOf(await ada.ask({ type: 'poll-vote', pollId, choice: [2] }))).toBe('ack');
    expect(codeOf(await ada.ask({ type: 'poll-vote', pollId, choice: [1] }))).toBe('POLL_ALREADY_VOTED');
    expect(codeOf(await bob.ask({ type: 'poll-vote', pollId, choice: [2] }))).toBe('ack');
    const live = await host.client.waitFor((m) => m.type === 'poll' && m.poll.results?.voters === 2);
    expect(live.type === 'poll' && live.poll.results).toEqual({ counts: [0, 0, 2], voters: 2 });
    await settle(ada);
    expect(ada.client.ofType('poll').every((m) => m.poll.results === undefined)).toBe(true);
    // A reconnecting voter sees their choice and still cannot vote twice.
    const again = await room.enter((await room.register('Ada again')).token);
    expect(again.joined.room.state?.polls[0].myChoice).toBeUndefined();
    expect(codeOf(await host.ask({ type: 'poll-share', pollId, shared: true }))).toBe('ack');
    const shared = await ada.client.waitFor((m) => m.type === 'poll' && m.poll.resultsShared);
    expect(shared.type === 'poll' && shared.poll.results).toEqual({ counts: [0, 0, 2], voters: 2 });
    expect(codeOf(await host.ask({ type: 'poll-close', pollId }))).toBe('ack');
    expect(codeOf(await again.ask({ type: 'poll-vote', pollId, choice: [0] }))).toBe('POLL_NOT_LIVE');
    // Launched polls cannot be edited or deleted through the API; results are stored.
    expect((await room.org.member.request('PUT', `${base}/${pollId}`, { question: 'X', options: ['a', 'b'], multiple: false })).status).toBe(409);
    const list = await room.org.member.get(base);
    expect(list.body.items[0]).toMatchObject({ status: 'closed', resultsShared: true, results: { counts: [0, 0, 2], voters: 2 } });
    await room.closeAll();
  });

  it('staff put slides on stage and change pages; attendees cannot; hands are raised in order and a host brings one on stage', async () => {
    const room = await liveRoomFixture(t, { live: true });
    const fileId = 'fil_0123456789abcdefghij';
    await t.server.ctx.sql.query(
      `insert into files (id, org_id, event_id, purpose, status, name, content_type, size, sha256, page_count, blob_key, created_at)
       values ($1, $2, $3, 'slides', 'ready', 'deck.pdf', 'application/pdf', 1000, $4, 12, $5, now())`,
      [fileId, room.org.orgId, room.eventId, 'a'.repeat(64), `test/${fileId}`],
    );
    const host = await room.host();
    const presenter = await room.attendee('Pia', 'presenter');
    const ada = await room.attendee('Ada');
    const bob = await room.attendee('Bob');
    expect(ada.joined.room.state?.files).toEqual([expect.objectContaining({ id: fileId, name: 'deck.pdf', pageCount: 12, purpose: 'slides' })]);
    expect(codeOf(await ada.ask({ type: 'stage-set', content: 'slides', fileId }))).toBe('FORBIDDEN');
    expect(codeOf(await presenter.ask({ type: 'stage-set', content: 'slides', fileId }))).toBe('ack');
    expect(codeOf(await presenter.ask({ type: 'stage-set', page: 13 }))).toBe('VALIDATION_FAILED');
    expect(codeOf(await presenter.ask({ type: 'stage-set', page: 4 }))).toBe('ack');
    const stage = await ada.client.waitFor((m) => m.type === 'stage' && m.stage.slides?.page === 4);
    expect(stage.type === 'stage' && stage.stage).toEqual({ content: 'slides', slides: { fileId, name: 'deck.pdf', page: 4, pageCount: 12 }, whiteboardPage: 1 });
    expect(codeOf(await presenter.ask({ type: 'pointer', x: 0.25, y: 0.5, visible: true }))).toBe('ack');
    expect(await ada.client.waitFor((m) => m.type === 'pointer')).toMatchObject({ participantId: presenter.participantId, x: 0.25, y: 0.5 });
    const link = await ada.ask({ type: 'file-link', fileId });
    expect(link).toMatchObject({ type: 'file-link', fileId, url: expect.stringContaining(`/api/v1/files/${fileId}/content?`) });
    const late = await room.attendee('Late');
    expect(late.joined.room.state?.stage.slides?.page).toBe(4);

    await bob.ask({ type: 'hand-raise', raised: true });
    await ada.ask({ type: 'hand-raise', raised: true });
    const hands = await host.client.waitFor((m) => m.type === 'hands' && m.hands.length === 2);
    expect(hands.type === 'hands' && hands.hands.map((h) => h.participantId)).toEqual([bob.participantId, ada.participantId]);
    expect(codeOf(await bob.ask({ type: 'stage-grant', participantId: ada.participantId, grant: 'speaker' }))).toBe('FORBIDDEN');
    expect(codeOf(await host.ask({ type: 'stage-grant', participantId: ada.participantId, grant: 'speaker' }))).toBe('ack');
    const updated = await bob.client.waitFor((m) => m.type === 'participant-updated' && m.participant.id === ada.participantId);
    expect(updated.type === 'participant-updated' && updated.participant.grant).toBe('speaker');
    const after = await bob.client.waitFor((m) => m.type === 'hands' && m.hands.length === 1);
    expect(after.type === 'hands' && after.hands[0].participantId).toBe(bob.participantId);
    expect(codeOf(await host.ask({ type: 'stage-grant', participantId: ada.participantId, grant: 'camera' }))).toBe('VALIDATION_FAILED');
    await room.closeAll();
  });

  it('the report counts time attended (overlapping tabs once), chat messages, questions and poll answers per person, as JSON and CSV', async () => {
    const room = await liveRoomFixture(t, { live: true });
    const host = await room.host();
    const ada = await room.register('Ada Lovelace');
    const first = await room.enter(ada.token);
    const second = await room.enter(ada.token);
    await first.ask({ type: 'chat-send', text: 'one', to: 'everyone' });
    await second.ask({ type: 'chat-send', text: 'two', to: 'hosts' });
    await first.ask({ type: 'question-ask', text: 'Why?' });
    const poll = await host.ask({ type: 'poll-create', poll: { question: 'Q', options: ['x', 'y'], multiple: true }, launch: true });
    if (poll.type !== 'poll-created') throw new Error('no poll');
    await first.ask({ type: 'poll-vote', pollId: poll.poll.id, choice: [0, 1] });
    expect(codeOf(await host.ask({ type: 'moderate', participantId: second.participantId, action: 'remove' }))).toBe('ack');
    await second.client.closed;
    await first.client.close();
    await host.ask({ type: 'room-end' });
    const report = await room.org.member.get(`/api/v1/orgs/${room.org.orgId}/events/${room.eventId}/report`);
    expect(report.status).toBe(200);
    const person = report.body.people.find((p: { name: string }) => p.name === 'Ada Lovelace');
    expect(person).toMatchObject({ role: 'attendee', sessions: 1, chatMessages: 2, questions: 1, pollAnswers: 1, lastLeftAt: expect.any(String) });
    expect(report.body.summary).toMatchObject({ people: 2, attendees: 1, peakConcurrent: 2, chatMessages: 2, questions: 1, pollAnswers: 1 });
    expect(report.body.polls[0].results).toEqual({ counts: [1, 1], voters: 1 });
    expect(report.body.audit.map((a: { action: string }) => a.action)).toEqual(['moderate.remove', 'room.end']);
    expect(report.body.audit[0]).toMatchObject({ actor: 'Hanna Host', target: 'Ada Lovelace' });
    const csv = await room.org.member.get(`/api/v1/orgs/${room.org.orgId}/events/${room.eventId}/report.csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text.replace(/^\ufeff/, '').split('\r\n')[0]).toBe('Name,Role,First joined,Last left,Minutes attended,Stays,Chat messages,Questions,Poll answers');
    expect(csv.text).toContain('Ada Lovelace,attendee,');
  });
});
