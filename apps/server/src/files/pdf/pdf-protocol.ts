/** Messages between the PDF checker (main thread) and its worker threads. */
import type { FileInvalidReason } from '@podium/protocol';

/** Limits of one check. */
export interface PdfLimits {
  maxPages: number;
  /** Longest page side accepted, in PDF points (after UserUnit). */
  maxPagePoints: number;
  /** Largest image (pixels) a page may draw. */
  maxImagePixels: number;
}

/** The outcome of one check. */
export type PdfVerdict = { ok: true; pageCount: number } | { ok: false; reason: FileInvalidReason; message: string };

/** Main → worker: check a PDF of `size` bytes (its bytes come as range replies). */
export interface PdfCheckRequest { type: 'check'; job: number; size: number; limits: PdfLimits }
/** Main → worker: the bytes of a requested range, or failure to read them. */
export type PdfRangeReply = { type: 'range'; job: number; begin: number; bytes: Uint8Array } | { type: 'range-failed'; job: number };
/** What the main thread posts. */
export type PdfMainMessage = PdfCheckRequest | PdfRangeReply;

/** What the worker posts: it is ready for a check, it needs bytes `begin..end-1`, or its verdict. */
export type PdfWorkerMessage =
  | { type: 'ready' }
  | { type: 'range'; job: number; begin: number; end: number }
  | { type: 'result'; job: number; verdict: PdfVerdict };
