import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODERATION_ACTIONS_FOR_TEST, REACTIONS } from './messages-fixtures';
import { CATALOG } from '../i18n/catalog';

const LOCALES = ['en', 'de', 'pl', 'fr'] as const;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'board' || name === 'notes' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('room and report messages', () => {
  const root = join(__dirname, '..');
  const files = [...sourceFiles(join(root, 'room')), ...sourceFiles(join(root, 'pages/room')), join(root, 'pages/events/EventReportPage.tsx'),
    join(root, 'pages/events/EventPollsSection.tsx'), join(root, 'pages/events/EventRoomSettingsSection.tsx')];
  const used = new Set<string>();
  for (const f of files) {
    for (const m of readFileSync(f, 'utf8').matchAll(/\bt\(\s*'((?:room|report)\.[A-Za-z0-9_.-]+)'/g)) used.add(m[1]);
  }

  it('every literal key of the room pages exists in every language', () => {
    expect(used.size).toBeGreaterThan(150);
    for (const key of used) for (const l of LOCALES) expect(CATALOG[l][key], `${l} ${key}`).toBeTruthy();
  });

  it('keys built from values exist for every value (roles, grants, quality, layouts, statuses, settings, outcomes, moderation)', () => {
    const keys = [
      ...['host', 'presenter', 'attendee'].map((r) => `room.role.${r}`),
      ...['speaker', 'camera', 'none'].map((g) => `room.grant.${g}`),
      ...['good', 'fair', 'poor', 'unknown'].map((q) => `room.quality.${q}`),
      ...['presentation', 'gallery', 'speaker'].map((l) => `room.layout.${l}`),
      ...['open', 'answered', 'answered-live', 'dismissed'].map((s) => `room.qa.status.${s}`),
      ...['draft', 'live', 'closed'].map((s) => `room.polls.status.${s}`),
      ...['locked', 'waitingRoom', 'chatEnabled', 'privateChatEnabled', 'qaEnabled', 'reactionsEnabled', 'notesEditableByAttendees'].flatMap((k) => [`room.settings.${k}`, `room.settings.${k}Hint`]),
      ...['chat', 'qa', 'polls', 'people', 'notes', 'files'].map((k) => `room.panel.${k}`),
      ...['staff', 'speakers', 'audience'].map((k) => `room.people.group.${k}`),
      ...['remove', 'ban'].flatMap((k) => [`room.people.${k}ConfirmTitle`, `room.people.${k}ConfirmText`, `room.people.${k}Confirm`]),
      ...['invalid', 'ended', 'cancelled', 'full', 'locked', 'banned', 'removed', 'denied', 'notInvited', 'outdated', 'left', 'error'].flatMap((k) => [`room.outcome.${k}.title`, `room.outcome.${k}.text`]),
      ...MODERATION_ACTIONS_FOR_TEST.map((a) => `room.moderated.${a}`),
      'room.devices.cameraN', 'room.devices.micN',
    ];
    for (const key of keys) for (const l of LOCALES) expect(CATALOG[l][key], `${l} ${key}`).toBeTruthy();
    expect(REACTIONS.length).toBeGreaterThan(0);
  });

  it('German, Polish and French translate the room rather than repeat the English', () => {
    const en = Object.entries(CATALOG.en).filter(([k]) => k.startsWith('room.') || k.startsWith('report.'));
    for (const l of ['de', 'pl', 'fr'] as const) {
      const same = en.filter(([k, v]) => CATALOG[l][k] === v && v.replace(/\{\w+\}/g, '').trim().length > 12);
      expect(same.map(([k]) => k), l).toEqual([]);
    }
  });
});
