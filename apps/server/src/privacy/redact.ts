/** Replacing a person's name and email inside free text (emails, chat, audit details). */

/** What an erased person's name becomes everywhere. */
export const ERASED_NAME = 'Deleted participant';
/** What an erased person's own words become (the row stays so counts add up). */
export const ERASED_TEXT = '(erased)';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A redactor for a set of names and emails (case-insensitive, longest first). */
export function redactor(needles: readonly string[]): { test(text: string | null | undefined): boolean; apply(text: string): string } {
  const list = [...new Set(needles.filter((n) => n.trim().length >= 3))].sort((a, b) => b.length - a.length);
  if (!list.length) return { test: () => false, apply: (t) => t };
  // Whole words only: erasing "Ada Lovelace" must not touch "Ada Lovelaceson".
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${list.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  return {
    test: (text) => typeof text === 'string' && new RegExp(re.source, 'iu').test(text),
    apply: (text) => text.replace(re, (m) => (m.includes('@') ? 'erased@erased.invalid' : ERASED_NAME)),
  };
}

/** A LIKE pattern matching `needle` anywhere, its wildcards escaped (for ILIKE … ESCAPE '\'). */
export function likeAnywhere(needle: string): string {
  return `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
