/**
 * The little XML S3 speaks: its answers have a fixed shape (no attributes, no CDATA, no nesting of
 * a tag inside itself), so reading a tag's text or the blocks of a repeated element is enough.
 */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Text with XML entities resolved. */
export function xmlUnescape(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : ENTITIES[e]);
}

/** Text safe inside an XML element. */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** The contents of every `<tag>…</tag>` in `xml`, in order (inner XML, not unescaped). */
export function xmlBlocks(xml: string, tag: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'g');
  for (const m of xml.matchAll(re)) out.push(m[1]);
  return out;
}

/** The text of the first `<tag>` in `xml`, unescaped; undefined when there is none (`<tag/>` is ''). */
export function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}(?:\\s[^>]*)?>([^<]*)</${tag}>|<${tag}\\s*/>`).exec(xml);
  return m ? xmlUnescape(m[1] ?? '') : undefined;
}
