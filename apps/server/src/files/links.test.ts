import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileId } from '@podium/protocol';
import { startTestServer, type TestServer } from '../testing/server';
import { STORE_KINDS } from '../testing/sql';
import { filesFixture, upload, type FilesFixture } from './testing/file-api';
import { makePdf } from './testing/make-pdf';
import { makePng } from './testing/make-image';
import { contentDisposition } from './content';
import { signFileLink } from './links';

describe('contentDisposition()', () => {
  it('gives an ASCII fallback and the exact UTF-8 name (RFC 6266 / RFC 8187)', () => {
    expect(contentDisposition('attachment', 'Größe "final"; 100%.pdf')).toBe(
      `attachment; filename="Gr__e _final__ 100_.pdf"; filename*=UTF-8''Gr%C3%B6%C3%9Fe%20%22final%22%3B%20100%25.pdf`,
    );
    expect(contentDisposition('inline', "it's (1).png")).toBe(`inline; filename="it's (1).png"; filename*=UTF-8''it%27s%20%281%29.png`);
  });
});

describe.each(STORE_KINDS)('signed file links and content on %s', (store) => {
  let t: TestServer;
  let fx: FilesFixture;
  let pdf: Buffer;
  let slidesId: FileId;

  beforeAll(async () => {
    t = await startTestServer({ store });
    fx = await filesFixture(t);
    pdf = makePdf({ pages: 2, padding: 5000 });
    slidesId = (await upload(fx.member, fx.filesPath, pdf, { name: 'Zürich deck.pdf' })).body.id;
  }, 120_000);
  afterAll(async () => t?.close());

  const fetchLink = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers });
  const linkOf = async (fileId: string) => (await fx.member.post(`${fx.filesPath}/${fileId}/link`)).body as { url: string; expiresAt: string };

  it('a host gets a link valid for an hour; it serves the exact bytes with safe headers and no credentials', async () => {
    const before = Date.now();
    const link = await linkOf(slidesId);
    expect(link.url).toMatch(new RegExp(`^${t.url}/api/v1/files/${slidesId}/content\\?exp=\\d+&sig=[A-Za-z0-9_-]{43}$`));
    expect(Date.parse(link.expiresAt) - before).toBeGreaterThan(3_590_000);
    const res = await fetchLink(link.url);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(pdf);
    expect(Object.fromEntries(['content-type', 'content-length', 'accept-ranges', 'x-content-type-options', 'etag'].map((h) => [h, res.headers.get(h)]))).toEqual({
      'content-type': 'application/pdf',
      'content-length': String(pdf.length),
      'accept-ranges': 'bytes',
      'x-content-type-options': 'nosniff',
      etag: `"${createHash('sha256').update(pdf).digest('hex')}"`,
    });
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="Z_rich deck.pdf"; filename*=UTF-8''Z%C3%BCrich%20deck.pdf`);
    expect(res.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/);
    expect(res.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
  });

  it('serves byte ranges with 206 and Content-Range, and answers 416 outside the file', async () => {
    const { url } = await linkOf(slidesId);
    const part = await fetchLink(url, { range: 'bytes=0-7' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-7/${pdf.length}`);
    expect(part.headers.get('content-length')).toBe('8');
    expect(Buffer.from(await part.arrayBuffer()).toString('latin1')).toBe('%PDF-1.7');
    const tail = await fetchLink(url, { range: 'bytes=-6' });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(pdf.subarray(pdf.length - 6));
    const open = await fetchLink(url, { range: `bytes=${pdf.length - 10}-` });
    expect(Buffer.from(await open.arrayBuffer())).toEqual(pdf.subarray(pdf.length - 10));
    const beyond = await fetchLink(url, { range: `bytes=${pdf.length}-${pdf.length + 5}` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${pdf.length}`);
    expect((await beyond.json()).code).toBe('RANGE_NOT_SATISFIABLE');
    // Several ranges, or a malformed header, get the whole file.
    expect((await fetchLink(url, { range: 'bytes=0-1,5-6' })).status).toBe(200);
    expect((await fetchLink(url, { range: 'pages=1' })).status).toBe(200);
  });

  it('answers 304 to a matching If-None-Match, and ignores Range when If-Range names another version', async () => {
    const { url } = await linkOf(slidesId);
    const etag = (await fetchLink(url)).headers.get('etag')!;
    expect((await fetchLink(url, { 'if-none-match': etag })).status).toBe(304);
    expect((await fetchLink(url, { range: 'bytes=0-3', 'if-range': '"other"' })).status).toBe(200);
    expect((await fetchLink(url, { range: 'bytes=0-3', 'if-range': etag })).status).toBe(206);
  });

  it('serves handouts as attachments and text with its charset', async () => {
    const csv = await upload(fx.member, fx.filesPath, Buffer.from('name;city\nÅsa;Malmö\n'), { purpose: 'handout', name: 'list.csv', contentType: 'text/html' });
    expect(csv.status).toBe(201);
    const res = await fetchLink((await linkOf(csv.body.id)).url);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="list.csv"/);
    const png = await upload(fx.member, fx.filesPath, makePng(), { purpose: 'handout', name: 'map.png' });
    expect((await fetchLink((await linkOf(png.body.id)).url)).headers.get('content-disposition')).toMatch(/^inline;/);
  });

  it('an expired link answers 403 FILE_LINK_EXPIRED', async () => {
    const link = signFileLink(t.server.ctx, slidesId, 60);
    expect((await fetchLink(link.url)).status).toBe(200);
    t.advance(61_000);
    try {
      const res = await fetchLink(link.url);
      expect(res.status).toBe(403);
      expect((await res.json()).code).toBe('FILE_LINK_EXPIRED');
    } finally {
      t.advance(-61_000);
    }
  });

  it('a forged or altered link answers 403 FILE_LINK_INVALID, and names no file', async () => {
    const good = new URL(signFileLink(t.server.ctx, slidesId, 600).url);
    const other = (await upload(fx.member, fx.filesPath, makePng())).body.id as string;
    const variants = [
      () => good.searchParams.set('sig', `${good.searchParams.get('sig')!.slice(0, -1)}${good.searchParams.get('sig')!.endsWith('A') ? 'B' : 'A'}`),
      () => good.searchParams.set('exp', String(Number(good.searchParams.get('exp')) + 3600)),
      () => (good.pathname = good.pathname.replace(slidesId, other)),
      () => (good.pathname = good.pathname.replace(slidesId, 'fil_00000000000000000000')),
    ];
    for (const change of variants) {
      const saved = good.href;
      change();
      const res = await fetchLink(good.href);
      expect(res.status, good.href).toBe(403);
      expect((await res.json()).code).toBe('FILE_LINK_INVALID');
      good.href = saved;
    }
  });

  it('a genuine link to a deleted file answers 404 FILE_NOT_FOUND', async () => {
    const id = (await upload(fx.member, fx.filesPath, makePng())).body.id as FileId;
    const link = signFileLink(t.server.ctx, id, 600);
    expect((await fx.member.delete(`${fx.filesPath}/${id}`)).status).toBe(200);
    const res = await fetchLink(link.url);
    expect(res.status).toBe(404);
    expect((await res.json()).code).toBe('FILE_NOT_FOUND');
  });

  it('signFileLink() refuses lifetimes outside 1 second to 7 days', () => {
    for (const ttl of [0, -5, 1.5, 7 * 86_400 + 1]) expect(() => signFileLink(t.server.ctx, slidesId, ttl)).toThrow(RangeError);
  });
});
