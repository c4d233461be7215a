import type { FileContentType } from '@podium/protocol';

const MAX_NAME_LENGTH = 255;
// Bidirectional overrides and isolates ("abc\u202Egnp.exe" shows as "abcexe.png"), zero-width and other invisible format characters.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\u00AD]/g;
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;
// A surrogate half without its partner is no character (and not storable text).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The name a file is shown and downloaded under: the last segment of what the client sent (no
 * folders), without control, bidirectional or invisible characters, whitespace collapsed, at most
 * 255 characters keeping the extension. Never empty.
 */
export function displayFileName(raw: string): string {
  const base = raw.replace(LONE_SURROGATE, '').split(/[/\\]/).pop() ?? '';
  let name = base.replace(CONTROL, '').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  name = name.replace(/^\.+/, '').trim();
  if (!name) return 'file';
  if (name.length > MAX_NAME_LENGTH) {
    const ext = extensionOf(name);
    const keep = ext && ext.length < 20 ? `.${ext}` : '';
    name = name.slice(0, MAX_NAME_LENGTH - keep.length) + keep;
  }
  return name;
}

/** The lower-cased extension of a name without its dot, or '' when it has none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : '';
}

const TEXT_BY_EXTENSION: Record<string, FileContentType> = {
  txt: 'text/plain', text: 'text/plain', csv: 'text/csv', md: 'text/markdown', markdown: 'text/markdown',
};

/**
 * Which text type a file whose bytes are text is stored as. Bytes cannot tell CSV from Markdown,
 * so the extension picks among these inert types; a text file under any other extension (.html,
 * .svg, .js, .exe…) is null: not accepted.
 */
export function textTypeFor(name: string): FileContentType | null {
  return TEXT_BY_EXTENSION[extensionOf(name)] ?? null;
}
