import type { FastifyReply, FastifyRequest } from 'fastify';
import { PodiumError, TEXT_TYPES, type FileContentType } from '@podium/protocol';
import type { BlobStore } from '../storage/blob-store';
import { parseRange } from './range';
import type { ReadyFileRow } from './store';

/** Nothing in a served file may run, load or navigate: it is shown, never executed. */
export const FILE_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'";

/** `Content-Disposition` with a plain fallback name and the exact one per RFC 6266 / RFC 8187. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

/** Slides and images are shown in place; handouts and documents are saved. */
function dispositionOf(file: ReadyFileRow): 'inline' | 'attachment' {
  return file.purpose === 'slides' || file.content_type.startsWith('image/') ? 'inline' : 'attachment';
}

function contentTypeHeader(type: FileContentType): string {
  return (TEXT_TYPES as readonly string[]).includes(type) ? `${type}; charset=utf-8` : type;
}

/**
 * Sends a file's bytes: Content-Type as stored (decided from the bytes at upload), Content-Length,
 * ETag (its SHA-256), byte ranges (206, 416), `nosniff` and a sandboxing CSP, cached privately
 * for at most as long as the link lives.
 */
export async function sendFileContent(req: FastifyRequest, reply: FastifyReply, blobs: BlobStore, file: ReadyFileRow, maxAgeSeconds: number): Promise<FastifyReply> {
  const etag = `"${file.sha256}"`;
  reply
    .header('content-type', contentTypeHeader(file.content_type))
    .header('accept-ranges', 'bytes')
    .header('etag', etag)
    .header('last-modified', file.created_at.toUTCString())
    .header('cache-control', `private, max-age=${Math.max(0, Math.min(maxAgeSeconds, 86_400))}`)
    .header('content-disposition', contentDisposition(dispositionOf(file), file.name))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', FILE_CSP)
    .header('cross-origin-resource-policy', 'same-origin');
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === etag || t.trim() === '*')) return reply.code(304).send();
  const ifRange = req.headers['if-range'];
  const range = ifRange && ifRange !== etag ? null : parseRange(req.headers.range, file.size);
  if (range === 'unsatisfiable') {
    reply.header('content-range', `bytes */${file.size}`);
    throw new PodiumError('RANGE_NOT_SATISFIABLE', undefined, { size: file.size });
  }
  if (file.size === 0) return reply.code(200).header('content-length', '0').send('');
  const r = range ?? { start: 0, end: file.size - 1 };
  const stream = await blobs.get(file.blob_key, r);
  reply.header('content-length', String(r.end - r.start + 1));
  if (range) reply.code(206).header('content-range', `bytes ${r.start}-${r.end}/${file.size}`);
  else reply.code(200);
  return reply.send(stream);
}
