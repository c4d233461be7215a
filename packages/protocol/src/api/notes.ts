/**
 * The room's shared notes outside the room: a host downloads them as Markdown, during or after
 * the event (the notes are a Yjs document of the room; see docs/signaling.md, "Documents").
 */
import { defineRoute } from './route';
import { EventParams } from './events';

/** The event's shared notes as a Markdown download (`Content-Disposition` named after the event). */
export const exportNotesMarkdown = defineRoute({
  id: 'notes.markdown', method: 'GET', path: '/api/v1/orgs/:orgId/events/:eventId/notes.md', tag: 'Rooms', access: 'org:host',
  summary: 'The event\'s shared notes as a Markdown file (during or after the event)', params: EventParams, produces: 'text/markdown',
});

// Letters that Unicode does not decompose into an ASCII letter plus accents.
const FOLD: Record<string, string> = { ł: 'l', Ł: 'L', ß: 'ss', æ: 'ae', Æ: 'AE', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', œ: 'oe', Œ: 'OE' };

/** RFC 5987 percent-encoding (encodeURIComponent leaves a few characters that ext-value does not allow). */
const rfc5987 = (s: string) => encodeURIComponent(s).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The file name of an event's notes, from its title: `ascii` for `filename=` (letters, digits,
 * `-`; accents dropped) and the full title for `filename*=` (`header` is the whole
 * Content-Disposition value). The web app's download uses the same name.
 */
export function notesFileName(title: string): { ascii: string; unicode: string; header: string } {
  // Control characters, path separators and quotes never reach a file name.
  const clean = title.normalize('NFC').replace(/[\u0000-\u001f\u007f"\\/:*?<>|]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120) || 'Notes';
  const slug = clean.replace(/[łŁßæÆøØđĐœŒ]/g, (c) => FOLD[c]).normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80).toLowerCase() || 'event';
  const ascii = `${slug}-notes.md`;
  const unicode = `${clean} - notes.md`;
  return { ascii, unicode, header: `attachment; filename="${ascii}"; filename*=UTF-8''${rfc5987(unicode)}` };
}
