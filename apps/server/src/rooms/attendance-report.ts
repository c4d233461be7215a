/**
 * The attendance and engagement report of an event: per person, time in the room (overlapping
 * connections counted once), separate stays, chat messages, questions and poll answers; totals,
 * the peak of people present at once, poll results and the audit trail.
 */
import type { AttendanceReport, AttendanceRow, AuditEntry, EventId, JoinRole } from '@podium/protocol';
import type { Sql } from '../storage/sql';
import { csvRow } from '../registrations/csv';
import { tally, type RoomStore } from './room-store';

interface StayRow { person_id: string; display_name: string; role: JoinRole; joined_at: Date; left_at: Date | null }

/** Merges overlapping [start, end] intervals (ms); returns them sorted. */
export function mergeIntervals(intervals: readonly [number, number][]): [number, number][] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** The most people present at once, from each person's merged stays. */
export function peakConcurrent(stays: readonly [number, number][][]): number {
  const edges: [number, number][] = [];
  for (const person of stays) for (const [s, e] of person) edges.push([s, 1], [e, -1]);
  // Leaving before arriving at the same instant: a reconnect at the same millisecond is not two people.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, d] of edges) {
    now += d;
    peak = Math.max(peak, now);
  }
  return peak;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Builds the report of an event (see file comment); `until` closes stays still open. */
export async function attendanceReport(sql: Sql, store: RoomStore, eventId: EventId, title: string, until: Date): Promise<AttendanceReport> {
  const [stays, room, chat, questions, votes, audit, polls] = await Promise.all([
    sql.query<StayRow>('select person_id, display_name, role, joined_at, left_at from room_attendance where event_id = $1 order by joined_at, id', [eventId]),
    sql.query<{ started_at: Date | null; ended_at: Date | null }>('select started_at, ended_at from event_rooms where event_id = $1', [eventId]),
    sql.query<{ person: string; n: number }>('select from_person as person, count(*)::int as n from room_chat_messages where event_id = $1 and deleted_at is null group by from_person', [eventId]),
    sql.query<{ person: string; n: number }>('select person_id as person, count(*)::int as n from room_questions where event_id = $1 group by person_id', [eventId]),
    sql.query<{ person: string; n: number }>(
      'select v.person_id as person, count(*)::int as n from room_poll_votes v join room_polls p on p.id = v.poll_id where p.event_id = $1 group by v.person_id',
      [eventId],
    ),
    sql.query<{ at: Date; actor_name: string | null; action: string; target_name: string | null; details: Record<string, unknown> }>(
      'select at, actor_name, action, target_name, details from event_audit where event_id = $1 order by at, id',
      [eventId],
    ),
    store.polls(eventId),
  ]);
  const endedAt = room[0]?.ended_at ?? null;
  const cutoff = (endedAt ?? until).getTime();
  const count = (rows: { person: string; n: number }[]) => new Map(rows.map((r) => [r.person, r.n]));
  const chats = count(chat);
  const asked = count(questions);
  const answered = count(votes);
  const byPerson = new Map<string, StayRow[]>();
  for (const s of stays) {
    const list = byPerson.get(s.person_id) ?? [];
    list.push(s);
    byPerson.set(s.person_id, list);
  }
  const merged: [number, number][][] = [];
  const people: AttendanceRow[] = [];
  for (const [personId, list] of byPerson) {
    const intervals = mergeIntervals(list.map((s) => [s.joined_at.getTime(), Math.max(s.joined_at.getTime(), s.left_at?.getTime() ?? cutoff)]));
    merged.push(intervals);
    const last = list[list.length - 1];
    const open = list.some((s) => s.left_at === null);
    const lastLeft = open ? null : Math.max(...list.map((s) => s.left_at!.getTime()));
    people.push({
      personId,
      name: last.display_name,
      role: last.role,
      firstJoinedAt: list[0].joined_at.toISOString(),
      lastLeftAt: lastLeft === null ? null : new Date(lastLeft).toISOString(),
      minutes: round1(intervals.reduce((t, [s, e]) => t + (e - s), 0) / 60_000),
      sessions: intervals.length,
      chatMessages: chats.get(personId) ?? 0,
      questions: asked.get(personId) ?? 0,
      pollAnswers: answered.get(personId) ?? 0,
    });
  }
  const attendees = people.filter((p) => p.role === 'attendee');
  return {
    eventId,
    title,
    startedAt: room[0]?.started_at?.toISOString() ?? null,
    endedAt: endedAt?.toISOString() ?? null,
    summary: {
      people: people.length,
      attendees: attendees.length,
      peakConcurrent: peakConcurrent(merged),
      averageMinutes: attendees.length ? round1(attendees.reduce((t, p) => t + p.minutes, 0) / attendees.length) : 0,
      chatMessages: chat.reduce((t, r) => t + r.n, 0),
      questions: questions.reduce((t, r) => t + r.n, 0),
      pollAnswers: votes.reduce((t, r) => t + r.n, 0),
    },
    people,
    polls: polls.map((r) => ({ ...r.poll, results: tally(r.poll.options.length, r.votes.values()) })),
    audit: audit.map((a): AuditEntry => ({ at: a.at.toISOString(), actor: a.actor_name, action: a.action, target: a.target_name, details: a.details ?? {} })),
  };
}

/** The report's people as CSV (UTF-8 with a header row). */
export function attendanceCsv(report: AttendanceReport): string {
  const header = ['Name', 'Role', 'First joined', 'Last left', 'Minutes attended', 'Stays', 'Chat messages', 'Questions', 'Poll answers'];
  const rows = report.people.map((p) => [p.name, p.role, p.firstJoinedAt, p.lastLeftAt ?? '', p.minutes, p.sessions, p.chatMessages, p.questions, p.pollAnswers]);
  return [csvRow(header), ...rows.map(csvRow)].join('');
}
