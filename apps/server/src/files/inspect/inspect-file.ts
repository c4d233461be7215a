import { FILE_TYPES, PodiumError, type FileContentType, type FilePurpose } from '@podium/protocol';
import { textTypeFor } from '../file-name';
import { SNIFF_BYTES, sniffFormat, type SniffedFormat } from '../sniff';
import type { PdfChecker } from '../pdf/pdf-checker';
import type { BlobSource } from './blob-source';
import { checkGif } from './gif';
import { checkJpeg } from './jpeg';
import { checkPng } from './png';
import { checkWebp } from './webp';
import { fileInvalid } from './invalid';
import { officeType } from './office';
import { isText } from './text';

/** What a checked file is. */
export interface InspectedFile {
  contentType: FileContentType;
  /** Pages of a PDF; 1 for an image; absent for other documents. */
  pageCount?: number;
}

const IMAGE_TYPES: Partial<Record<SniffedFormat, FileContentType>> = { png: 'image/png', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };
const IMAGE_CHECKS = { png: checkPng, jpeg: checkJpeg, gif: checkGif, webp: checkWebp } as const;

/** FILE_TYPE_NOT_ALLOWED, saying what was found and what the purpose accepts. */
export function typeNotAllowed(purpose: FilePurpose, detected: string): PodiumError {
  const what = purpose === 'slides' ? 'Slides must be a PDF or a PNG, JPEG, GIF or WebP image' : 'Handouts must be a PDF, an image, an office document or a text file';
  return new PodiumError('FILE_TYPE_NOT_ALLOWED', `${what}; this file is ${detected === 'unknown' ? 'of an unknown kind' : detected}.`, { detected, allowed: FILE_TYPES[purpose] });
}

/** Formats that can possibly be accepted for a purpose (told from the first bytes, before the rest arrives). */
export function mayBeAllowed(format: SniffedFormat, purpose: FilePurpose): boolean {
  if (format === 'unknown') return false;
  return purpose === 'handout' || format === 'pdf' || format in IMAGE_TYPES;
}

/** The name a sniffed format is reported under when refused. */
export function describeFormat(format: SniffedFormat): string {
  if (format === 'pdf') return 'application/pdf';
  if (format === 'zip') return 'application/zip';
  if (format === 'text') return 'text/plain';
  return IMAGE_TYPES[format] ?? 'unknown';
}

/**
 * Decides what a stored file is from its bytes and checks it in full for its format: PDFs with
 * pdf.js (PdfChecker), images by their structure and limits, office documents by their ZIP
 * directory, text by strict UTF-8. Throws FILE_TYPE_NOT_ALLOWED or FILE_INVALID.
 */
export async function inspectFile(src: BlobSource, purpose: FilePurpose, name: string, pdf: PdfChecker): Promise<InspectedFile> {
  if (src.size === 0) throw fileInvalid('empty', 'The file is empty.');
  const head = await src.range(0, Math.min(src.size, SNIFF_BYTES) - 1);
  const format = sniffFormat(head, src.size <= SNIFF_BYTES);
  if (!mayBeAllowed(format, purpose)) throw typeNotAllowed(purpose, describeFormat(format));
  if (format === 'pdf') return { contentType: 'application/pdf', pageCount: (await pdf.check(src)).pageCount };
  if (format === 'png' || format === 'jpeg' || format === 'gif' || format === 'webp') {
    await IMAGE_CHECKS[format](await src.stream());
    return { contentType: IMAGE_TYPES[format]!, pageCount: 1 };
  }
  if (format === 'zip') {
    const type = await officeType(src);
    if (!type) throw typeNotAllowed(purpose, 'application/zip');
    return { contentType: type };
  }
  const type = textTypeFor(name);
  if (!type) {
    throw new PodiumError('FILE_TYPE_NOT_ALLOWED', 'Text handouts must be named .txt, .csv or .md.', { detected: 'text/plain', allowed: FILE_TYPES[purpose] });
  }
  if (!(await isText(await src.stream()))) throw typeNotAllowed(purpose, 'application/octet-stream');
  return { contentType: type };
}
