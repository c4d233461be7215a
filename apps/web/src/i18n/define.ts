import type { Locale } from '@podium/protocol';

/** Messages of one area of the app in the four languages; every language must have every English key. */
export interface AreaMessages<K extends string = string> {
  area: string;
  messages: Record<Locale, Record<K, string>>;
}

/** Declares an area's messages: English defines the keys; German, Polish and French must translate all of them (a type error otherwise). */
export function defineMessages<K extends string>(
  area: string,
  en: Record<K, string>,
  others: { de: Record<K, string>; pl: Record<K, string>; fr: Record<K, string> },
): AreaMessages<K> {
  return { area, messages: { en, ...others } };
}

/** Replaces `{name}` placeholders with values. */
export function interpolate(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}
