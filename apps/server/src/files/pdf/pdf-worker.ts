/**
 * Worker thread that checks PDFs with pdf.js (legacy build, for Node), one at a time. It opens a
 * document through byte ranges served by the main thread (never the whole file), then walks every
 * page — size, and its content parsed into an operator list — within the job's limits. The main
 * thread enforces time and memory by terminating this thread.
 */
import { parentPort } from 'node:worker_threads';
import type { PdfCheckRequest, PdfMainMessage, PdfVerdict, PdfWorkerMessage } from './pdf-protocol';

const port = parentPort!;
const post = (m: PdfWorkerMessage) => port.postMessage(m);

// pdf.js reports recoverable problems as console warnings: keep them out of the server's output,
// and notice the one that means an image was too large to draw.
let imageTooLarge = false;
console.log = () => undefined;
console.info = () => undefined;
console.warn = (...args: unknown[]) => {
  if (String(args[0]).includes('Image exceeded maximum allowed size')) imageTooLarge = true;
};

const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');

/** Asks the main thread for each range pdf.js needs. */
class MainThreadRanges extends pdfjs.PDFDataRangeTransport {
  constructor(private readonly job: number, size: number) {
    super(size, new Uint8Array(0));
  }
  override requestDataRange(begin: number, end: number): void {
    post({ type: 'range', job: this.job, begin, end });
  }
}

let current: { job: number; transport: MainThreadRanges; reject(err: Error): void } | null = null;

async function check(req: PdfCheckRequest, transport: MainThreadRanges): Promise<PdfVerdict> {
  const { limits } = req;
  imageTooLarge = false;
  const task = pdfjs.getDocument({
    range: transport, disableAutoFetch: true, disableStream: true, isEvalSupported: false,
    maxImageSize: limits.maxImagePixels, verbosity: 1, useSystemFonts: false,
  });
  let doc;
  try {
    doc = await task.promise;
  } catch (err) {
    if ((err as Error).name === 'PasswordException') return { ok: false, reason: 'encrypted', message: 'Password-protected PDFs are not accepted.' };
    return { ok: false, reason: 'broken', message: 'The PDF is damaged: its structure cannot be read.' };
  }
  try {
    const { info } = (await doc.getMetadata()) as { info: { EncryptFilterName?: string | null } };
    if (info.EncryptFilterName) return { ok: false, reason: 'encrypted', message: 'Encrypted PDFs are not accepted.' };
    const pages = doc.numPages;
    if (pages < 1) return { ok: false, reason: 'broken', message: 'The PDF has no pages.' };
    if (pages > limits.maxPages) return { ok: false, reason: 'too-many-pages', message: `The PDF has ${pages} pages; at most ${limits.maxPages} are accepted.` };
    for (let n = 1; n <= pages; n++) {
      const page = await doc.getPage(n);
      const [x0, y0, x1, y1] = page.view;
      const unit = page.userUnit || 1;
      const w = Math.abs(x1 - x0) * unit;
      const h = Math.abs(y1 - y0) * unit;
      if (!(w > 0 && h > 0)) return { ok: false, reason: 'broken', message: `Page ${n} of the PDF has no size.` };
      if (w > limits.maxPagePoints || h > limits.maxPagePoints) {
        return { ok: false, reason: 'page-too-large', message: `Page ${n} of the PDF is ${Math.round(w)}×${Math.round(h)} points; at most ${limits.maxPagePoints} points a side are accepted.` };
      }
      await page.getOperatorList();
      if (imageTooLarge) return { ok: false, reason: 'image-too-large', message: `Page ${n} of the PDF holds an image larger than ${limits.maxImagePixels / 1e6} megapixels.` };
      page.cleanup();
    }
    return { ok: true, pageCount: pages };
  } finally {
    await doc.destroy().catch(() => undefined);
  }
}

port.on('message', (m: PdfMainMessage) => {
  if (m.type === 'check') {
    const transport = new MainThreadRanges(m.job, m.size);
    const failed = new Promise<never>((_, reject) => {
      current = { job: m.job, transport, reject };
    });
    Promise.race([check(m, transport), failed])
      .catch((): PdfVerdict => ({ ok: false, reason: 'broken', message: 'The PDF is damaged: it cannot be read.' }))
      .then((verdict) => {
        current = null;
        post({ type: 'result', job: m.job, verdict });
      });
  } else if (current && m.job === current.job) {
    if (m.type === 'range') current.transport.onDataRange(m.begin, m.bytes);
    else current.reject(new Error('range failed'));
  }
});

post({ type: 'ready' });
