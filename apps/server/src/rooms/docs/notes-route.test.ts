import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notesFileName, type EventId } from '@podium/protocol';
import { eventBody, seedOrg, type SeededOrg } from '../../events/testing';
import { startTestServer, type TestServer } from '../../testing/server';
import { RoomDocs } from './room-docs';

/** Writes `text` into the event's notes the way a live room would (an update through RoomDocs). */
async function writeNotes(t: TestServer, eventId: EventId, text: string, opts: { keepOpen?: boolean } = {}): Promise<RoomDocs> {
  const docs = await RoomDocs.open(t.server.ctx.sql, eventId);
  const client = new Y.Doc();
  Y.applyUpdate(client, docs.diff('notes', Y.encodeStateVector(client)).update);
  const sv = Y.encodeStateVector(client);
  client.getText('markdown').insert(client.getText('markdown').length, text);
  await docs.apply('notes', Y.encodeStateAsUpdate(client, sv));
  if (!opts.keepOpen) await docs.close();
  return docs;
}

describe('GET /api/v1/orgs/:orgId/events/:eventId/notes.md', () => {
  let t: TestServer;
  let a: SeededOrg;
  let b: SeededOrg;
  let eventId: EventId;
  const title = 'Strategy: Q3 / Über "Plans"';
  const path = () => `/api/v1/orgs/${a.orgId}/events/${eventId}/notes.md`;

  beforeAll(async () => {
    t = await startTestServer();
    a = await seedOrg(t);
    b = await seedOrg(t);
    const res = await a.member.post(`/api/v1/orgs/${a.orgId}/events`, eventBody(t, { title }));
    expect(res.status).toBe(201);
    eventId = res.body.id as EventId;
  });
  afterAll(async () => t?.close());

  it('answers an event without notes with an empty Markdown file named after the event', async () => {
    const res = await a.member.get(path());
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="strategy-q3-uber-plans-notes.md"; filename*=UTF-8''Strategy%20Q3%20%C3%9Cber%20Plans%20-%20notes.md`,
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('returns the notes of a closed room from the database, and of a live room as acknowledged', async () => {
    await writeNotes(t, eventId, '# Minutes\n\n- **Ship** it\n');
    const closed = await a.member.get(path());
    expect(closed.status).toBe(200);
    expect(closed.text).toBe('# Minutes\n\n- **Ship** it\n');

    // A room still open: the update is acknowledged (on disk) but not compacted; the download sees it.
    const live = await writeNotes(t, eventId, 'Next: Q4 😀\n', { keepOpen: true });
    const during = await a.member.get(path());
    expect(during.text).toBe('# Minutes\n\n- **Ship** it\nNext: Q4 😀\n');
    await live.close();
    // The API key of the organization acts as an admin: it may download too.
    expect((await a.api.get(path())).text).toBe(during.text);
  });

  it('another organization\'s host gets 404 for the event under its own organization and 403 under ours', async () => {
    const own = await b.member.get(`/api/v1/orgs/${b.orgId}/events/${eventId}/notes.md`);
    expect(own.status).toBe(404);
    expect(own.body).toMatchObject({ code: 'EVENT_NOT_FOUND' });
    const ours = await b.member.get(path());
    expect(ours.status).toBe(403);
    expect((await t.client().get(path())).status).toBe(401);
  });
});

describe('notesFileName', () => {
  it('keeps a safe ASCII name and the full title, dropping what a file name must not hold', () => {
    expect(notesFileName('Kick-off 2025').ascii).toBe('kick-off-2025-notes.md');
    expect(notesFileName('Zażółć gęślą jaźń').ascii).toBe('zazolc-gesla-jazn-notes.md');
    expect(notesFileName('../../etc/passwd\r\n').unicode).toBe('.. .. etc passwd - notes.md');
    expect(notesFileName('日本語').ascii).toBe('event-notes.md');
    expect(notesFileName('   ').unicode).toBe('Notes - notes.md');
    expect(notesFileName("it's (big)!").header).toContain("filename*=UTF-8''it%27s%20%28big%29%21%20-%20notes.md");
  });
});
