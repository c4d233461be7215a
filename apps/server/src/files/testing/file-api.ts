// Test helpers for the files API over a real socket: an organization with an event, raw uploads
// (fetch for bytes in memory, node:http for streamed bodies) and what the store holds afterwards.
import { request } from 'node:http';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { EventId, FilePurpose } from '@podium/protocol';
import type { TestClient } from '../../testing/client';
import type { TestServer } from '../../testing/server';
import { eventBody, seedOrg, type SeededOrg } from '../../events/testing';

/** An organization with one event, its host's browser-like client and an API key client. */
export interface FilesFixture extends SeededOrg {
  eventId: EventId;
  /** `/api/v1/orgs/:orgId/events/:eventId/files` */
  filesPath: string;
}

/** Seeds an organization and creates an event through the API. */
export async function filesFixture(t: TestServer): Promise<FilesFixture> {
  const org = await seedOrg(t);
  const res = await org.member.post(`/api/v1/orgs/${org.orgId}/events`, eventBody(t));
  if (res.status !== 201) throw new Error(`create event: ${res.status} ${res.text}`);
  const eventId = res.body.id as EventId;
  return { ...org, eventId, filesPath: `/api/v1/orgs/${org.orgId}/events/${eventId}/files` };
}

/** The headers a client sends (cookie and CSRF token, or its API key). */
function authHeaders(client: TestClient): Record<string, string> {
  const h: Record<string, string> = { ...client.headers };
  if (client.csrfToken) h['x-csrf-token'] = client.csrfToken;
  return h;
}

/** Uploads bytes held in memory; `contentType` is whatever a client might claim. */
export async function upload(
  client: TestClient, path: string, bytes: Uint8Array, o: { purpose?: FilePurpose; name?: string; contentType?: string } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const q = new URLSearchParams({ purpose: o.purpose ?? 'slides', name: o.name ?? 'deck.pdf' });
  const res = await fetch(`${client.baseUrl}${path}?${q}`, {
    method: 'POST', headers: { ...authHeaders(client), 'content-type': o.contentType ?? 'application/octet-stream' }, body: new Uint8Array(bytes),
  });
  const text = await res.text();
  return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text, headers: res.headers };
}

/** Uploads a stream with chunked transfer encoding (no Content-Length), as a slow or huge client would. */
export function uploadStream(
  client: TestClient, path: string, body: Readable, o: { purpose?: FilePurpose; name?: string } = {},
): Promise<{ status: number; body: any }> {
  const q = new URLSearchParams({ purpose: o.purpose ?? 'handout', name: o.name ?? 'data.csv' });
  const url = new URL(`${client.baseUrl}${path}?${q}`);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...authHeaders(client), 'content-type': 'text/csv', 'transfer-encoding': 'chunked' } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? JSON.parse(text) : text });
      });
    });
    req.on('error', reject);
    body.on('error', (err) => req.destroy(err));
    body.pipe(req);
  });
}

/** Object keys in the server's blob folder, and temporary files of puts in progress. */
export async function storedBlobs(t: TestServer): Promise<{ objects: string[]; temp: string[] }> {
  const root = t.server.ctx.config.blobDir;
  const walk = async (dir: string, prefix = ''): Promise<string[]> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const out: string[] = [];
    for (const e of entries) {
      if (e.isDirectory()) out.push(...(await walk(join(dir, e.name), `${prefix}${e.name}/`)));
      else out.push(`${prefix}${e.name}`);
    }
    return out;
  };
  return { objects: await walk(join(root, 'objects')), temp: await walk(join(root, 'tmp')) };
}

/** Rows of the files table (any status) and queued blob deletions. */
export async function storedRows(t: TestServer): Promise<{ files: { id: string; status: string }[]; deletions: string[] }> {
  const files = await t.server.ctx.sql.query<{ id: string; status: string }>('select id, status from files order by created_at');
  const deletions = (await t.server.ctx.sql.query<{ blob_key: string }>('select blob_key from blob_deletions')).map((r) => r.blob_key);
  return { files, deletions };
}
