import { OFFICE_TYPES, type FileContentType } from '@podium/protocol';
import type { BlobSource } from './blob-source';
import { fileInvalid } from './invalid';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
/** Largest central directory read (bytes), and most entries: beyond them the archive is refused as too complex. */
const MAX_DIRECTORY_BYTES = 8 * 1024 * 1024;
const MAX_ENTRIES = 20_000;

const broken = (why: string) => fileInvalid('broken', `The document is damaged: ${why}.`);

/** The parts of an OOXML package that tell a document, a spreadsheet and a presentation apart. */
const OOXML_MAIN_PARTS: [string, FileContentType][] = [
  ['word/document.xml', OFFICE_TYPES[0]],
  ['xl/workbook.xml', OFFICE_TYPES[1]],
  ['ppt/presentation.xml', OFFICE_TYPES[2]],
];
const ODF_TYPES = new Set<string>(OFFICE_TYPES.slice(3));

/** One entry of the central directory. */
interface Entry {
  name: string;
  localOffset: number;
  compressedSize: number;
  method: number;
  encrypted: boolean;
}

/** The end-of-central-directory record, found in the last 64 KiB. */
async function endRecord(src: BlobSource): Promise<{ entries: number; dirSize: number; dirOffset: number; at: number }> {
  if (src.size < EOCD_SIZE) throw broken('its directory is missing');
  const start = Math.max(0, src.size - EOCD_SIZE - MAX_COMMENT);
  const tail = await src.range(start, src.size - 1);
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== EOCD_SIGNATURE) continue;
    if (i + EOCD_SIZE + tail.readUInt16LE(i + 20) !== tail.length) continue;
    const entries = tail.readUInt16LE(i + 10);
    const dirSize = tail.readUInt32LE(i + 12);
    const dirOffset = tail.readUInt32LE(i + 16);
    if (tail.readUInt16LE(i + 4) !== 0 || tail.readUInt16LE(i + 6) !== 0 || entries !== tail.readUInt16LE(i + 8)) {
      throw fileInvalid('too-complex', 'Archives split over several parts are not accepted.');
    }
    if (entries === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) throw fileInvalid('too-complex', 'ZIP64 archives are not accepted.');
    return { entries, dirSize, dirOffset, at: start + i };
  }
  throw fileInvalid('truncated', 'The document is incomplete: its directory is missing (was the upload cut off?).');
}

async function centralDirectory(src: BlobSource): Promise<Entry[]> {
  const end = await endRecord(src);
  if (end.entries > MAX_ENTRIES || end.dirSize > MAX_DIRECTORY_BYTES) throw fileInvalid('too-complex', 'The document has too many parts.');
  if (end.dirOffset + end.dirSize > end.at || end.entries === 0) throw broken('its directory does not fit the file');
  const dir = await src.range(end.dirOffset, end.dirOffset + end.dirSize - 1);
  const entries: Entry[] = [];
  let p = 0;
  for (let n = 0; n < end.entries; n++) {
    if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL_SIGNATURE) throw broken('its directory is damaged');
    const flags = dir.readUInt16LE(p + 8);
    const nameLength = dir.readUInt16LE(p + 28);
    const skip = nameLength + dir.readUInt16LE(p + 30) + dir.readUInt16LE(p + 32);
    if (p + 46 + skip > dir.length) throw broken('its directory is damaged');
    const entry: Entry = {
      name: dir.toString('utf8', p + 46, p + 46 + nameLength),
      method: dir.readUInt16LE(p + 10),
      compressedSize: dir.readUInt32LE(p + 20),
      localOffset: dir.readUInt32LE(p + 42),
      encrypted: (flags & 1) === 1,
    };
    if (entry.localOffset + 30 + entry.compressedSize > end.dirOffset) throw broken('a part lies outside the file');
    entries.push(entry);
    p += 46 + skip;
  }
  return entries;
}

/** The OpenDocument type named by a stored `mimetype` entry, or null. */
async function odfType(src: BlobSource, entry: Entry): Promise<FileContentType | null> {
  if (entry.method !== 0 || entry.compressedSize > 100) return null;
  const header = await src.range(entry.localOffset, entry.localOffset + 29);
  if (header.readUInt32LE(0) !== LOCAL_SIGNATURE) throw broken('a part is damaged');
  const dataStart = entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (entry.compressedSize === 0 || dataStart + entry.compressedSize > src.size) return null;
  const type = (await src.range(dataStart, dataStart + entry.compressedSize - 1)).toString('latin1');
  return ODF_TYPES.has(type) ? (type as FileContentType) : null;
}

/**
 * The office document type of a ZIP archive, from its central directory: OOXML (Word, Excel,
 * PowerPoint) by its content-types part and main part, OpenDocument by its `mimetype` entry.
 * Any other archive is null (not accepted). Encrypted or macro-carrying documents are refused.
 * The parts themselves are not decompressed: a handout is downloaded, never opened by the server.
 */
export async function officeType(src: BlobSource): Promise<FileContentType | null> {
  const entries = await centralDirectory(src);
  if (entries.some((e) => e.encrypted)) throw fileInvalid('encrypted', 'Password-protected documents are not accepted.');
  const names = new Set(entries.map((e) => e.name));
  if ([...names].some((n) => /(^|\/)vbaProject\.bin$/i.test(n))) return null;
  if (names.has('[Content_Types].xml')) {
    for (const [part, type] of OOXML_MAIN_PARTS) if (names.has(part)) return type;
    return null;
  }
  const mimetype = entries.find((e) => e.name === 'mimetype');
  return mimetype ? odfType(src, mimetype) : null;
}
