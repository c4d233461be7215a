// Upload bodies the files API must refuse, for the input fuzz suite: each is sent as slides with a
// PDF's name and content type, so only its bytes can give it away.
import { makePdf } from './make-pdf';
import { makeGif, makeJpeg, makePng, makeWebp } from './make-image';
import { makeDocx, makeZip } from './make-zip';

/** A named bad upload and the error code it must get. */
export interface BadUpload {
  label: string;
  bytes: Uint8Array<ArrayBuffer>;
  code: 'FILE_INVALID' | 'FILE_TYPE_NOT_ALLOWED';
}

const cut = (b: Buffer, keep: number) => new Uint8Array(b.subarray(0, keep));
const bytes = (b: Buffer | string) => new Uint8Array(typeof b === 'string' ? Buffer.from(b) : b);

/** Bad slide uploads: empty, truncated, hostile, mislabelled. */
export function badSlideUploads(): BadUpload[] {
  const pdf = makePdf({ pages: 2 });
  const png = makePng(16, 16);
  return [
    { label: 'empty body', bytes: new Uint8Array(0), code: 'FILE_INVALID' },
    { label: 'truncated PDF', bytes: cut(pdf, pdf.length >> 1), code: 'FILE_INVALID' },
    { label: 'PDF header and nothing else', bytes: bytes('%PDF-1.7\n'), code: 'FILE_INVALID' },
    { label: 'PDF with a page of 100,000 points', bytes: bytes(makePdf({ width: 100_000 })), code: 'FILE_INVALID' },
    { label: 'encrypted PDF', bytes: bytes(makePdf({ encrypted: true })), code: 'FILE_INVALID' },
    { label: 'truncated PNG', bytes: cut(png, png.length - 5), code: 'FILE_INVALID' },
    { label: 'PNG of 20,000 × 20,000 pixels', bytes: bytes(makePng(2, 2, { claimWidth: 20_000, claimHeight: 20_000 })), code: 'FILE_INVALID' },
    { label: 'truncated JPEG', bytes: cut(makeJpeg(), 30), code: 'FILE_INVALID' },
    { label: 'truncated GIF', bytes: cut(makeGif(), 20), code: 'FILE_INVALID' },
    { label: 'truncated WebP', bytes: cut(makeWebp(), 20), code: 'FILE_INVALID' },
    { label: 'Windows executable', bytes: bytes(Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(512, 7)])), code: 'FILE_TYPE_NOT_ALLOWED' },
    { label: 'ELF executable', bytes: bytes(Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01', 'latin1'), Buffer.alloc(256)])), code: 'FILE_TYPE_NOT_ALLOWED' },
    { label: 'HTML page', bytes: bytes('<!doctype html><script>alert(1)</script>'), code: 'FILE_TYPE_NOT_ALLOWED' },
    { label: 'SVG with a script', bytes: bytes('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), code: 'FILE_TYPE_NOT_ALLOWED' },
    { label: 'JSON', bytes: bytes('{"purpose":"slides"}'), code: 'FILE_TYPE_NOT_ALLOWED' },
    { label: 'Word document as slides', bytes: bytes(makeDocx()), code: 'FILE_TYPE_NOT_ALLOWED' },
    { label: 'ZIP archive', bytes: bytes(makeZip([{ name: 'a.exe', data: 'MZ' }])), code: 'FILE_TYPE_NOT_ALLOWED' },
    { label: 'random bytes', bytes: bytes(Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256))), code: 'FILE_TYPE_NOT_ALLOWED' },
  ];
}
