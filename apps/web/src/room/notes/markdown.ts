/**
 * A tiny Markdown reader for the shared notes' preview: headings, paragraphs (a single newline is
 * a line break, as people type notes), bullet, numbered and task lists (nested by indentation),
 * quotes, fenced code, rules; inline bold, italic, strikethrough, code, links and bare URLs.
 * It produces a tree of plain data that MarkdownView turns into React elements, so nothing the
 * notes hold is ever read as HTML; link targets pass safeHref() (http, https, mailto only).
 */

/** Inline content. */
export type Inline =
  | { t: 'text'; v: string }
  | { t: 'strong' | 'em' | 'del'; c: Inline[] }
  | { t: 'code'; v: string }
  | { t: 'link'; href: string; c: Inline[] }
  | { t: 'br' };

/** One list item: its text, a task box when it has one, and a nested list. */
export interface ListItem {
  c: Inline[];
  checked?: boolean;
  sub?: Block;
}

/** Block content. */
export type Block =
  | { t: 'h'; level: 1 | 2 | 3 | 4 | 5 | 6; c: Inline[] }
  | { t: 'p'; c: Inline[] }
  | { t: 'list'; ordered: boolean; start: number; items: ListItem[] }
  | { t: 'quote'; c: Block[] }
  | { t: 'code'; lang: string; v: string }
  | { t: 'hr' };

/** Deepest nesting of quotes, lists and inline emphasis that is still read as such (deeper is text). */
const MAX_DEPTH = 8;
/** Longer paragraphs are shown as plain text. */
const MAX_INLINE = 20_000;
/** How far an emphasis or code span may reach (keeps the reader linear on runs of unmatched delimiters). */
const SPAN_WINDOW = 2_000;

/** The link target if it is an absolute http, https or mailto URL; null otherwise (shown as text). */
export function safeHref(raw: string): string | null {
  const s = raw.trim();
  if (!/^(https?:\/\/|mailto:)/i.test(s)) return null;
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'mailto:' ? u.href : null;
  } catch {
    return null;
  }
}

const HEADING = /^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const FENCE = /^ {0,3}(```|~~~)[ \t]*([A-Za-z0-9_+-]*)[ \t]*$/;
const LIST_ITEM = /^([ \t]*)([-*+]|\d{1,9}[.)])[ \t]+(.*)$/;
const QUOTE = /^ {0,3}>[ \t]?(.*)$/;
const TASK = /^\[([ xX])\][ \t]+(.*)$/;

const indentOf = (s: string) => s.replace(/\t/g, '    ').length;

/** Reads Markdown into blocks. */
export function parseMarkdown(source: string, depth = 0): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length) blocks.push({ t: 'p', c: parseInline(para.join('\n'), depth) });
    para = [];
  };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const body: string[] = [];
      i++;
      while (i < lines.length && !new RegExp(`^ {0,3}${fence[1]}[ \\t]*$`).test(lines[i])) body.push(lines[i++]);
      i++;
      blocks.push({ t: 'code', lang: fence[2], v: body.join('\n') });
      continue;
    }
    if (!line.trim()) {
      flush();
      i++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      blocks.push({ t: 'h', level: heading[1].length as 1, c: parseInline(heading[2], depth) });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      flush();
      blocks.push({ t: 'hr' });
      i++;
      continue;
    }
    if (QUOTE.test(line) && depth < MAX_DEPTH) {
      flush();
      const body: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i])) body.push(QUOTE.exec(lines[i++])![1]);
      blocks.push({ t: 'quote', c: parseMarkdown(body.join('\n'), depth + 1) });
      continue;
    }
    if (LIST_ITEM.test(line) && depth < MAX_DEPTH) {
      flush();
      const start = i;
      // The list runs over item lines and their indented continuations.
      while (i < lines.length && lines[i].trim() && (LIST_ITEM.test(lines[i]) || /^[ \t]+\S/.test(lines[i]))) i++;
      blocks.push(parseList(lines.slice(start, i), depth));
      continue;
    }
    para.push(line);
    i++;
  }
  flush();
  return blocks;
}

/** Reads the lines of one list (items at the first line's indentation; deeper ones nest). */
function parseList(lines: string[], depth: number): Block {
  const first = LIST_ITEM.exec(lines[0])!;
  const base = indentOf(first[1]);
  const ordered = /\d/.test(first[2]);
  const items: ListItem[] = [];
  let i = 0;
  while (i < lines.length) {
    const m = LIST_ITEM.exec(lines[i]);
    if (!m || indentOf(m[1]) < base) break;
    let text = m[3];
    i++;
    const nested: string[] = [];
    while (i < lines.length) {
      const n = LIST_ITEM.exec(lines[i]);
      if (n && indentOf(n[1]) <= base) break;
      if (n || nested.length) nested.push(lines[i]);
      else text += `\n${lines[i].trim()}`;
      i++;
    }
    const item: ListItem = { c: [] };
    const task = TASK.exec(text);
    if (task) {
      item.checked = task[1] !== ' ';
      text = task[2];
    }
    item.c = parseInline(text, depth);
    if (nested.length && LIST_ITEM.test(nested[0])) item.sub = parseList(nested, depth + 1);
    items.push(item);
  }
  return { t: 'list', ordered, start: ordered ? Number.parseInt(first[2], 10) || 1 : 1, items };
}

const URL_AT = /^(?:https?:\/\/|mailto:)[^\s<>"]*[^\s<>".,:;'")\]!?]/i;
const LINK_AT = /^\[([^\]\n]{0,1000})\]\(([^()\s]{1,2000})\)/;
const isWord = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/** Reads inline Markdown. */
export function parseInline(src: string, depth = 0): Inline[] {
  if (src.length > MAX_INLINE || depth >= MAX_DEPTH) return textWithBreaks(src);
  const out: Inline[] = [];
  let text = '';
  const push = (node: Inline) => {
    if (text) out.push(...textWithBreaks(text));
    text = '';
    out.push(node);
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const rest = src.slice(i, i + 2100);
    if (c === '\\' && i + 1 < src.length && /[\\`*_~[\]()#>+\-.!]/.test(src[i + 1])) {
      text += src[i + 1];
      i += 2;
      continue;
    }
    if (c === '`') {
      const close = src.indexOf('`', i + 1);
      if (close > i + 1 && close - i < SPAN_WINDOW) {
        push({ t: 'code', v: src.slice(i + 1, close) });
        i = close + 1;
        continue;
      }
    }
    if (c === '[') {
      const m = LINK_AT.exec(rest);
      if (m) {
        const href = safeHref(m[2]);
        if (href) push({ t: 'link', href, c: parseInline(m[1], depth + 1) });
        else text += m[1];
        i += m[0].length;
        continue;
      }
    }
    if ((c === 'h' || c === 'm' || c === 'H' || c === 'M') && !isWord(src[i - 1])) {
      const m = URL_AT.exec(rest);
      const href = m ? safeHref(m[0]) : null;
      if (m && href) {
        push({ t: 'link', href, c: [{ t: 'text', v: m[0] }] });
        i += m[0].length;
        continue;
      }
    }
    const two = src.slice(i, i + 2);
    if (two === '**' || two === '__' || two === '~~') {
      const close = src.indexOf(two, i + 2);
      if (close > i + 2 && close - i < SPAN_WINDOW && src[i + 2] !== ' ' && src[close - 1] !== ' ' && (two !== '__' || !isWord(src[i - 1]))) {
        push({ t: two === '~~' ? 'del' : 'strong', c: parseInline(src.slice(i + 2, close), depth + 1) });
        i = close + 2;
        continue;
      }
    }
    if ((c === '*' || c === '_') && src[i + 1] !== ' ' && src[i + 1] !== c && (c === '*' || !isWord(src[i - 1]))) {
      let close = src.indexOf(c, i + 1);
      // Skip doubled delimiters inside (they belong to a strong span) and an underscore inside a word.
      while (close > 0 && close - i < SPAN_WINDOW && (src[close + 1] === c || src[close - 1] === ' ' || (c === '_' && isWord(src[close + 1])))) close = src.indexOf(c, close + 2);
      if (close > i + 1 && close - i < SPAN_WINDOW) {
        push({ t: 'em', c: parseInline(src.slice(i + 1, close), depth + 1) });
        i = close + 1;
        continue;
      }
    }
    text += c;
    i++;
  }
  if (text) out.push(...textWithBreaks(text));
  return out;
}

function textWithBreaks(s: string): Inline[] {
  const out: Inline[] = [];
  s.split('\n').forEach((part, k) => {
    if (k > 0) out.push({ t: 'br' });
    if (part) out.push({ t: 'text', v: part });
  });
  return out;
}
