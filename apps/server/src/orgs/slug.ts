/** Longest slug the `Slug` schema allows. */
export const MAX_SLUG_LENGTH = 48;

/**
 * A URL-friendly slug from an organization name: accents dropped, lower-case letters and digits,
 * words joined by single dashes. Names with nothing usable (e.g. only symbols) give `org`.
 */
export function slugFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[øØ]/g, 'o')
    .replace(/[łŁ]/g, 'l')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
  return slug || 'org';
}

/** The n-th candidate for a taken slug: `base`, `base-2`, `base-3`…, still within the length limit. */
export function slugCandidate(base: string, n: number): string {
  if (n <= 1) return base;
  const suffix = `-${n}`;
  return `${base.slice(0, MAX_SLUG_LENGTH - suffix.length).replace(/-+$/, '')}${suffix}`;
}
