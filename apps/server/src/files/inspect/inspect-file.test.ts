import { afterAll, describe, expect, it } from 'vitest';
import { PodiumError } from '@podium/protocol';
import { PdfChecker } from '../pdf/pdf-checker';
import { makePdf } from '../testing/make-pdf';
import { makeGif, makeJpeg, makePng, makeWebp } from '../testing/make-image';
import { makeDocx, makeOdt, makeZip } from '../testing/make-zip';
import { memorySource } from '../testing/memory-source';
import { inspectFile } from './inspect-file';

const pdf = new PdfChecker({ maxPages: 500, timeoutMs: 20_000 });
afterAll(() => pdf.close());

const inspect = (bytes: Buffer, purpose: 'slides' | 'handout' = 'slides', name = 'file.bin') => inspectFile(memorySource(bytes), purpose, name, pdf);

/** The registry code and reason an inspection fails with. */
async function refusal(p: Promise<unknown>): Promise<{ code: string; reason?: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof PodiumError)) throw err;
    return { code: err.code, reason: (err.details as { reason?: string } | undefined)?.reason, message: err.message };
  }
  throw new Error('expected a refusal');
}

describe('inspectFile() images', () => {
  it('accepts valid PNG, JPEG, GIF and WebP images as slides, one page each', async () => {
    expect(await inspect(makePng(40, 30))).toEqual({ contentType: 'image/png', pageCount: 1 });
    expect(await inspect(makeJpeg())).toEqual({ contentType: 'image/jpeg', pageCount: 1 });
    expect(await inspect(makeGif())).toEqual({ contentType: 'image/gif', pageCount: 1 });
    expect(await inspect(makeWebp())).toEqual({ contentType: 'image/webp', pageCount: 1 });
  });

  it('refuses a truncated image of every format as FILE_INVALID truncated', async () => {
    for (const bytes of [makePng(40, 30), makeJpeg(), makeGif(), makeWebp()]) {
      expect(await refusal(inspect(bytes.subarray(0, bytes.length - 3)))).toMatchObject({ code: 'FILE_INVALID', reason: 'truncated' });
    }
  });

  it('refuses images over 10,000 pixels a side or 40 megapixels as image-too-large', async () => {
    expect(await refusal(inspect(makePng(2, 2, { claimWidth: 10_001, claimHeight: 10 })))).toMatchObject({ code: 'FILE_INVALID', reason: 'image-too-large' });
    expect(await refusal(inspect(makeJpeg(9000, 9000)))).toMatchObject({ reason: 'image-too-large' });
    expect(await refusal(inspect(makeGif(20_000, 1)))).toMatchObject({ reason: 'image-too-large' });
    expect(await refusal(inspect(makeWebp(10_001, 2)))).toMatchObject({ reason: 'image-too-large' });
  });

  it('refuses a PNG whose pixel data does not match its header, or whose checksum is wrong', async () => {
    // The header claims more rows than the data holds.
    expect(await refusal(inspect(makePng(8, 8, { claimHeight: 16 })))).toMatchObject({ code: 'FILE_INVALID' });
    // The header claims fewer rows: the data inflates past the promised size (a decompression bomb).
    expect(await refusal(inspect(makePng(8, 64, { claimHeight: 2 })))).toMatchObject({ code: 'FILE_INVALID', reason: 'broken' });
    const bad = makePng(8, 8);
    bad[bad.length - 20] ^= 0xff;
    expect(await refusal(inspect(bad))).toMatchObject({ code: 'FILE_INVALID', reason: 'broken' });
  });
});

describe('inspectFile() PDFs', () => {
  it('accepts a PDF and counts its pages', async () => {
    expect(await inspect(makePdf({ pages: 3 }))).toEqual({ contentType: 'application/pdf', pageCount: 3 });
  });

  it('refuses a truncated PDF, one with 10,000 pages, and one with a huge page, each with its reason', async () => {
    const whole = makePdf({ pages: 2 });
    expect(await refusal(inspect(whole.subarray(0, whole.length >> 1)))).toMatchObject({ code: 'FILE_INVALID', reason: 'truncated' });
    expect(await refusal(inspect(makePdf({ pages: 10_000 })))).toMatchObject({ code: 'FILE_INVALID', reason: 'too-many-pages' });
    expect(await refusal(inspect(makePdf({ width: 200_000, height: 200_000 })))).toMatchObject({ code: 'FILE_INVALID', reason: 'page-too-large' });
  });

  it('refuses an encrypted PDF, and a PDF whose structure is garbage', async () => {
    expect(await refusal(inspect(makePdf({ encrypted: true })))).toMatchObject({ code: 'FILE_INVALID', reason: 'encrypted' });
    expect(await refusal(inspect(Buffer.from('%PDF-1.7\nthis is not a pdf at all\n%%EOF\n')))).toMatchObject({ code: 'FILE_INVALID', reason: 'broken' });
  });

  it('survives a PDF nested 100,000 arrays deep without harming the server', async () => {
    const deep = makePdf({ catalogExtra: `/Bomb ${'['.repeat(100_000)}${']'.repeat(100_000)}` });
    const result = await inspect(deep).then(() => 'accepted', (e: PodiumError) => e.code);
    expect(['accepted', 'FILE_INVALID']).toContain(result);
  });

  it('stops a PDF that takes longer than its time budget, as too-complex', async () => {
    const slow = new PdfChecker({ maxPages: 500, timeoutMs: 100 });
    // Millions of drawing operators: parsing them takes far longer than 100 ms.
    const busy = makePdf({ pages: 20, content: () => '0 0 m 1 1 l S\n'.repeat(200_000) });
    expect(await refusal(inspectFile(memorySource(busy), 'slides', 'x.pdf', slow))).toMatchObject({ code: 'FILE_INVALID', reason: 'too-complex' });
    await slow.close();
  });
});

describe('inspectFile() types by purpose', () => {
  it('decides by bytes: a PNG named .pdf is a PNG; an executable named .pdf is refused', async () => {
    expect(await inspect(makePng(), 'slides', 'deck.pdf')).toMatchObject({ contentType: 'image/png' });
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(200)]);
    expect(await refusal(inspect(exe, 'slides', 'deck.pdf'))).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED' });
    expect(await refusal(inspect(exe, 'handout', 'deck.pdf'))).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED' });
  });

  it('accepts office documents and text as handouts only', async () => {
    expect(await inspect(makeDocx(), 'handout', 'notes.docx')).toEqual({ contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    expect(await inspect(makeOdt(), 'handout', 'notes.odt')).toEqual({ contentType: 'application/vnd.oasis.opendocument.text' });
    expect(await inspect(Buffer.from('a,b\n1,2\n'), 'handout', 'data.csv')).toEqual({ contentType: 'text/csv' });
    expect(await inspect(Buffer.from('# Titel\n\nÄrger über Größe ✓\n'), 'handout', 'README.md')).toEqual({ contentType: 'text/markdown' });
    expect(await refusal(inspect(makeDocx(), 'slides', 'notes.docx'))).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED' });
    expect(await refusal(inspect(Buffer.from('hello'), 'slides', 'a.txt'))).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED' });
  });

  it('refuses other archives, macro documents, text under a non-text name and binary posing as text', async () => {
    expect(await refusal(inspect(makeZip([{ name: 'run.exe', data: 'MZ' }]), 'handout', 'a.zip'))).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED' });
    const macro = makeZip([{ name: '[Content_Types].xml', data: '<x/>' }, { name: 'word/document.xml', data: '<x/>' }, { name: 'word/vbaProject.bin', data: 'x' }]);
    expect(await refusal(inspect(macro, 'handout', 'a.docx'))).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED' });
    expect(await refusal(inspect(Buffer.from('<svg onload="alert(1)"/>'), 'handout', 'logo.svg'))).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED' });
    const binaryLater = Buffer.concat([Buffer.from('a'.repeat(5000)), Buffer.from([0, 1, 2])]);
    expect(await refusal(inspect(binaryLater, 'handout', 'a.txt'))).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED' });
    expect(await refusal(inspect(Buffer.from([0xc3, 0x28, 0x41]), 'handout', 'a.txt'))).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED' });
  });

  it('refuses an empty file and a truncated office document', async () => {
    expect(await refusal(inspect(Buffer.alloc(0), 'handout', 'a.txt'))).toMatchObject({ code: 'FILE_INVALID', reason: 'empty' });
    const doc = makeDocx();
    expect(await refusal(inspect(doc.subarray(0, doc.length - 30), 'handout', 'a.docx'))).toMatchObject({ code: 'FILE_INVALID', reason: 'truncated' });
  });
});
