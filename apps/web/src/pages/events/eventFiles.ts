// What the event page's files section needs besides React: an upload with real progress
// (XMLHttpRequest: fetch reports no upload progress), sizes in words, file kinds for icons, and
// the message for a refused upload.
import {
  uploadFile, type FileInvalidReason, type FilePurpose, type Locale, type RoomFile,
} from '@podium/protocol';
import { ApiError, csrfHeaders, routeUrl } from '../../api/client';

/** One upload: the file, where it goes, and who hears of its progress. */
export interface UploadRequest {
  orgId: string;
  eventId: string;
  file: File;
  purpose: FilePurpose;
  /** Bytes sent so far and in all. */
  onProgress(sent: number, total: number): void;
  signal?: AbortSignal;
}

/** Sends a file as the raw request body; resolves with the stored file, rejects with ApiError (or an AbortError). */
export function uploadWithProgress(r: UploadRequest): Promise<RoomFile> {
  const url = routeUrl(uploadFile, { orgId: r.orgId, eventId: r.eventId }, { purpose: r.purpose, name: r.file.name.slice(0, 255) || 'file' });
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    for (const [k, v] of Object.entries(csrfHeaders())) xhr.setRequestHeader(k, v);
    // The server decides the type from the bytes; this header is only what the browser guessed.
    xhr.setRequestHeader('content-type', r.file.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => r.onProgress(e.loaded, e.lengthComputable ? e.total : r.file.size);
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as RoomFile);
      const e = (body ?? {}) as { code?: string; message?: string; details?: unknown };
      reject(new ApiError(xhr.status, e.code ?? 'INTERNAL', e.message ?? xhr.statusText, e.details));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'The server cannot be reached. Check your connection.'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    if (r.signal) {
      if (r.signal.aborted) return xhr.abort();
      r.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(r.file);
  });
}

// French writes octets; the others bytes.
const BYTE_UNITS: Record<Locale, readonly string[]> = {
  en: ['B', 'KB', 'MB', 'GB'], de: ['B', 'KB', 'MB', 'GB'], pl: ['B', 'KB', 'MB', 'GB'], fr: ['o', 'Ko', 'Mo', 'Go'],
};

/** A size for people, in binary steps: "820 B", "14 KB", "2.4 MB" (the number in the reader's format). */
export function formatBytes(bytes: number, locale: Locale): string {
  const units = BYTE_UNITS[locale];
  let value = bytes;
  let u = 0;
  while (value >= 1024 && u < units.length - 1) {
    value /= 1024;
    u++;
  }
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: u === 0 || value >= 10 ? 0 : 1 }).format(value);
  return `${number}\u00a0${units[u]}`;
}

/** What a file is, for its icon and label. */
export type FileKind = 'pdf' | 'image' | 'document' | 'spreadsheet' | 'presentation' | 'text';

/** The kind of a stored file, from its content type. */
export function fileKind(contentType: string): FileKind {
  if (contentType === 'application/pdf') return 'pdf';
  if (contentType.startsWith('image/')) return 'image';
  if (contentType.startsWith('text/')) return 'text';
  if (/spreadsheet/.test(contentType)) return 'spreadsheet';
  if (/presentation/.test(contentType)) return 'presentation';
  return 'document';
}

/** The message key and values that explain why an upload was refused, or null for errors the generic text covers. */
export function uploadRefusal(err: unknown, purpose: FilePurpose, locale: Locale): { key: string; vars?: Record<string, string> } | null {
  if (!(err instanceof ApiError)) return null;
  const details = (err.details ?? {}) as { reason?: FileInvalidReason; maxBytes?: number };
  if (err.code === 'PAYLOAD_TOO_LARGE' && typeof details.maxBytes === 'number') return { key: 'files.error.tooLarge', vars: { max: formatBytes(details.maxBytes, locale) } };
  if (err.code === 'FILE_TYPE_NOT_ALLOWED') return { key: `files.error.wrongType.${purpose}` };
  if (err.code === 'FILE_INVALID' && details.reason) return { key: `files.error.reason.${details.reason}` };
  return null;
}

/** The path and query of a signed link, so the browser fetches it from this origin whatever the server's configured URL. */
export function sameOriginPath(url: string): string {
  const u = new URL(url, window.location.origin);
  return `${u.pathname}${u.search}`;
}
