// Minimal PDFs written by hand (header, catalog, page tree, pages, fonts, xref, trailer), so tests
// need no binary fixtures and can make exactly the broken or hostile file they are about.

/** What the generated PDF looks like. */
export interface PdfOptions {
  pages?: number;
  /** MediaBox size in points. */
  width?: number;
  height?: number;
  /** Content stream of every page (default: one line of text naming the page). */
  content?: (page: number) => string;
  /** Bytes of an unreferenced stream object placed before the pages (a big but harmless file). */
  padding?: number;
  /** Adds an /Encrypt dictionary to the trailer (the file is not really encrypted: the flag is what matters). */
  encrypted?: boolean;
  /** Extra entry in the catalog, e.g. a deeply nested array. */
  catalogExtra?: string;
}

/** A PDF document as bytes. */
export function makePdf(o: PdfOptions = {}): Buffer {
  const pages = o.pages ?? 1;
  const width = o.width ?? 612;
  const height = o.height ?? 792;
  const content = o.content ?? ((n: number) => `BT /F1 36 Tf 72 ${height - 120} Td (Slide ${n}) Tj ET`);
  const objects: (string | Buffer)[] = [];
  // Object numbers start at 1: the n-th object added is `n 0 obj`.
  const add = (body: string | Buffer) => objects.push(body);
  add(`<< /Type /Catalog /Pages 2 0 R${o.catalogExtra ? ` ${o.catalogExtra}` : ''} >>`);
  add('');
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  if (o.padding) add(Buffer.concat([Buffer.from(`<< /Length ${o.padding} >>\nstream\n`), Buffer.alloc(o.padding, 0x20), Buffer.from('\nendstream')]));
  const kids: number[] = [];
  for (let n = 1; n <= pages; n++) {
    const text = content(n);
    const contentId = add(`<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`);
    kids.push(add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contentId} 0 R >>`));
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${pages} >>`;
  let encryptId = 0;
  if (o.encrypted) encryptId = add('<< /Filter /Standard /V 1 /R 2 /O (0123456789abcdef0123456789abcdef) /U (0123456789abcdef0123456789abcdef) /P -4 >>');

  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0].length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'), Buffer.from('\nendobj\n')]);
    parts.push(obj);
    offset += obj.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  const id = '<00112233445566778899aabbccddeeff>';
  const trailer = `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${encryptId ? ` /Encrypt ${encryptId} 0 R /ID [${id} ${id}]` : ''} >>\nstartxref\n${offset}\n%%EOF\n`;
  parts.push(Buffer.from(xref + trailer, 'latin1'));
  return Buffer.concat(parts);
}
