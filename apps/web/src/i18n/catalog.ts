import type { Locale } from '@podium/protocol';
import type { AreaMessages } from './define';

// Every area file in ./messages is picked up; keys become `area.key`.
const modules = import.meta.glob<{ default: AreaMessages }>('./messages/*.ts', { eager: true });

/** All messages by locale, keyed `area.key`. */
export const CATALOG: Record<Locale, Record<string, string>> = { en: {}, de: {}, pl: {}, fr: {} };
for (const mod of Object.values(modules)) {
  const { area, messages } = mod.default;
  for (const locale of Object.keys(CATALOG) as Locale[]) {
    for (const [k, v] of Object.entries(messages[locale])) CATALOG[locale][`${area}.${k}`] = v as string;
  }
}
