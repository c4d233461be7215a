/**
 * The SQL behind a live room (tables of migration 002_rooms.sql). The coordinator awaits every
 * write before it acknowledges a command, so what a participant saw confirmed survives a crash
 * and a room opened again (on this node or, in the cluster, on another) starts from it.
 */
import {
  DEFAULT_ROOM_SETTINGS, DEFAULT_STAGE, PodiumError, newId, type ChatMessage, type EventId, type EventStatus, type EventType,
  type JoinRole, type OrgId, type Poll, type PollStatus, type Question, type QuestionStatus, type RoomSettings,
  type StageState,
} from '@podium/protocol';
import type { Sql } from '../storage/sql';
import type { ChatRecord, LoadedRoom, PollRecord, QuestionRecord } from './room-records';

/** Chat messages a room keeps in memory (and loads when it opens): the newest ones. */
export const CHAT_MEMORY = 1_000;

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

interface ChatRow {
  id: string; from_person: string; from_name: string; from_role: JoinRole; to_kind: ChatRecord['toKind'];
  to_person: string | null; to_name: string | null; text: string; sent_at: Date;
}
interface QuestionRow {
  id: string; person_id: string; author_name: string; author_role: JoinRole; text: string; anonymous: boolean; status: QuestionStatus;
  votes: number; answer_text: string | null; answered_by: string | null; answered_at: Date | null; asked_at: Date;
  voters: string[] | null;
}
interface PollRow {
  id: string; question: string; options: string[]; multiple: boolean; status: PollStatus; results_shared: boolean;
  created_at: Date; launched_at: Date | null; closed_at: Date | null;
}

function chatRecord(r: ChatRow): ChatRecord {
  const to: ChatMessage['to'] = r.to_kind === 'direct' ? { displayName: r.to_name ?? '' } : r.to_kind;
  return {
    message: { id: r.id as ChatMessage['id'], from: { displayName: r.from_name, role: r.from_role }, to, text: r.text, sentAt: iso(r.sent_at)! },
    fromPerson: r.from_person,
    toKind: r.to_kind,
    toPerson: r.to_person,
  };
}

function questionRecord(r: QuestionRow): QuestionRecord {
  const question: Question = {
    id: r.id as Question['id'], text: r.text, anonymous: r.anonymous, author: { displayName: r.author_name, role: r.author_role },
    askedAt: iso(r.asked_at)!, votes: r.votes, status: r.status,
  };
  if (r.answer_text !== null) question.answer = { text: r.answer_text, by: r.answered_by ?? '', at: iso(r.answered_at)! };
  return { question, personId: r.person_id, voters: new Set(r.voters ?? []) };
}

/** A poll row as the wire shape (without results). */
export function pollOfRow(r: PollRow): Poll {
  const poll: Poll = {
    id: r.id as Poll['id'], question: r.question, options: r.options, multiple: r.multiple, status: r.status,
    resultsShared: r.results_shared, createdAt: iso(r.created_at)!,
  };
  if (r.launched_at) poll.launchedAt = iso(r.launched_at)!;
  if (r.closed_at) poll.closedAt = iso(r.closed_at)!;
  return poll;
}

/** The known settings only (defaults for missing ones): unknown fields from a client are never stored. */
export function pickSettings(s: Partial<RoomSettings>): RoomSettings {
  const d = DEFAULT_ROOM_SETTINGS;
  return Object.fromEntries((Object.keys(d) as (keyof RoomSettings)[]).map((k) => [k, s[k] ?? d[k]])) as unknown as RoomSettings;
}

/** Vote counts per option of a poll from every person's choice. */
export function tally(optionCount: number, votes: Iterable<number[]>): { counts: number[]; voters: number } {
  const counts = new Array<number>(optionCount).fill(0);
  let voters = 0;
  for (const choice of votes) {
    voters++;
    for (const i of choice) if (i < optionCount) counts[i]++;
  }
  return { counts, voters };
}

const POLL_COLUMNS = 'id, question, options, multiple, status, results_shared, created_at, launched_at, closed_at';

/** One attendance row being opened. */
export interface AttendanceStart {
  eventId: EventId;
  personId: string;
  participantId: string;
  displayName: string;
  role: JoinRole;
  at: Date;
}

/** One entry of the event's audit trail. */
export interface AuditRecord {
  eventId: EventId;
  at: Date;
  actorPerson: string | null;
  actorName: string | null;
  action: string;
  targetPerson: string | null;
  targetName: string | null;
  details?: Record<string, unknown>;
}

/** The room's SQL (see file comment). */
export class RoomStore {
  constructor(readonly sql: Sql) {}

  /** Everything the room needs when it opens (but its files); EVENT_NOT_FOUND when the event is gone. */
  async load(eventId: EventId): Promise<Omit<LoadedRoom, 'files'>> {
    const [ev] = await this.sql.query<{ org_id: OrgId; type: EventType; status: EventStatus; settings: RoomSettings | null; stage: StageState | null; started_at: Date | null }>(
      `select e.org_id, e.type, e.status, r.settings, r.stage, r.started_at
         from events e left join event_rooms r on r.event_id = e.id where e.id = $1`,
      [eventId],
    );
    if (!ev) throw new PodiumError('EVENT_NOT_FOUND');
    const [chat, questions, polls] = await Promise.all([
      this.sql.query<ChatRow>(
        `select * from (select id, from_person, from_name, from_role, to_kind, to_person, to_name, text, sent_at
            from room_chat_messages where event_id = $1 and deleted_at is null order by sent_at desc, id desc limit ${CHAT_MEMORY}) c
          order by sent_at, id`,
        [eventId],
      ),
      this.sql.query<QuestionRow>(
        `select q.*, (select json_agg(v.person_id) from room_question_votes v where v.question_id = q.id) as voters
           from room_questions q where q.event_id = $1 order by q.asked_at, q.id`,
        [eventId],
      ),
      this.polls(eventId),
    ]);
    return {
      orgId: ev.org_id,
      type: ev.type,
      status: ev.status,
      settings: pickSettings(ev.settings ?? {}),
      stage: { ...DEFAULT_STAGE, ...(ev.stage ?? {}) },
      startedAt: iso(ev.started_at),
      chat: chat.map(chatRecord),
      questions: questions.map(questionRecord),
      polls,
    };
  }

  /** Prepared and past polls (after a change through the REST API). */
  async polls(eventId: EventId): Promise<PollRecord[]> {
    const [rows, votes] = await Promise.all([
      this.sql.query<PollRow>(`select ${POLL_COLUMNS} from room_polls where event_id = $1 order by created_at, id`, [eventId]),
      this.sql.query<{ poll_id: string; person_id: string; choice: number[] }>(
        'select v.poll_id, v.person_id, v.choice from room_poll_votes v join room_polls p on p.id = v.poll_id where p.event_id = $1',
        [eventId],
      ),
    ]);
    const byPoll = new Map<string, PollRecord>();
    for (const r of rows) byPoll.set(r.id, { poll: pollOfRow(r), votes: new Map() });
    for (const v of votes) byPoll.get(v.poll_id)?.votes.set(v.person_id, v.choice);
    return [...byPoll.values()];
  }

  /** The room's settings as kept with the event (defaults for a room never opened). */
  async settings(eventId: EventId): Promise<RoomSettings> {
    const [r] = await this.sql.query<{ settings: RoomSettings }>('select settings from event_rooms where event_id = $1', [eventId]);
    return pickSettings(r?.settings ?? {});
  }

  /** Keeps the room's settings and stage with the event. */
  async saveRoom(eventId: EventId, room: { settings: RoomSettings; stage: StageState; startedAt?: Date | null; endedAt?: Date | null }, now: Date): Promise<void> {
    await this.sql.query(
      `insert into event_rooms (event_id, settings, stage, started_at, ended_at, updated_at) values ($1, $2, $3, $4, $5, $6)
       on conflict (event_id) do update set settings = excluded.settings, stage = excluded.stage,
         started_at = coalesce(event_rooms.started_at, excluded.started_at), ended_at = coalesce(event_rooms.ended_at, excluded.ended_at),
         updated_at = excluded.updated_at`,
      [eventId, JSON.stringify(room.settings), JSON.stringify(room.stage), room.startedAt ?? null, room.endedAt ?? null, now],
    );
  }

  /** Keeps the room's settings with the event (the REST API; a room not open yet starts with them). */
  async saveSettings(eventId: EventId, settings: RoomSettings, now: Date): Promise<void> {
    await this.sql.query(
      `insert into event_rooms (event_id, settings, stage, updated_at) values ($1, $2, $3, $4)
       on conflict (event_id) do update set settings = excluded.settings, updated_at = excluded.updated_at`,
      [eventId, JSON.stringify(settings), JSON.stringify(DEFAULT_STAGE), now],
    );
  }

  /**
   * Records when the event went live or ended (the REST API changes the status of events whose
   * room is not open; a room opened later reads the start from here). The first start counts.
   */
  async markStatus(eventId: EventId, status: EventStatus, now: Date): Promise<void> {
    if (status !== 'live' && status !== 'ended') return;
    const column = status === 'live' ? 'started_at' : 'ended_at';
    await this.sql.query(
      `insert into event_rooms (event_id, settings, stage, ${column}, updated_at) values ($1, $2, $3, $4, $4)
       on conflict (event_id) do update set ${column} = coalesce(event_rooms.${column}, excluded.${column}), updated_at = excluded.updated_at`,
      [eventId, JSON.stringify(DEFAULT_ROOM_SETTINGS), JSON.stringify(DEFAULT_STAGE), now],
    );
    // Voting ends with the event, whether or not its room is open.
    if (status === 'ended') await this.sql.query("update room_polls set status = 'closed', closed_at = $2 where event_id = $1 and status = 'live'", [eventId, now]);
  }

  /** Stores a chat message. */
  async insertChat(eventId: EventId, r: ChatRecord): Promise<void> {
    const m = r.message;
    await this.sql.query(
      `insert into room_chat_messages (id, event_id, from_person, from_name, from_role, to_kind, to_person, to_name, text, sent_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [m.id, eventId, r.fromPerson, m.from.displayName, m.from.role, r.toKind, r.toPerson, typeof m.to === 'object' ? m.to.displayName : null, m.text, m.sentAt],
      { prepare: 'room_chat_insert' },
    );
  }

  /** Marks a chat message deleted (kept for the audit trail, never shown again). */
  async deleteChat(messageId: string, byPerson: string, at: Date): Promise<void> {
    await this.sql.query('update room_chat_messages set deleted_at = $2, deleted_by = $3 where id = $1', [messageId, at, byPerson]);
  }

  /** Stores a new question. */
  async insertQuestion(eventId: EventId, r: QuestionRecord): Promise<void> {
    const q = r.question;
    await this.sql.query(
      `insert into room_questions (id, event_id, person_id, author_name, author_role, text, anonymous, status, votes, asked_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9)`,
      [q.id, eventId, r.personId, q.author?.displayName ?? '', q.author?.role ?? 'attendee', q.text, q.anonymous, q.status, q.askedAt],
    );
  }

  /** Adds or takes back one person's vote; returns the question's new count. */
  async voteQuestion(questionId: string, personId: string, up: boolean, at: Date): Promise<number> {
    return this.sql.transaction(async (tx) => {
      const changed = up
        ? await tx.query('insert into room_question_votes (question_id, person_id, voted_at) values ($1, $2, $3) on conflict do nothing returning 1', [questionId, personId, at])
        : await tx.query('delete from room_question_votes where question_id = $1 and person_id = $2 returning 1', [questionId, personId]);
      const [row] = changed.length
        ? await tx.query<{ votes: number }>(`update room_questions set votes = votes + $2 where id = $1 returning votes`, [questionId, up ? 1 : -1])
        : await tx.query<{ votes: number }>('select votes from room_questions where id = $1', [questionId]);
      return row?.votes ?? 0;
    });
  }

  /** Stores a question's status and answer. */
  async updateQuestion(q: Question): Promise<void> {
    await this.sql.query(
      'update room_questions set status = $2, answer_text = $3, answered_by = $4, answered_at = $5 where id = $1',
      [q.id, q.status, q.answer?.text ?? null, q.answer?.by ?? null, q.answer?.at ?? null],
    );
  }

  /** Stores a new poll (a draft, or live at once). */
  async insertPoll(eventId: EventId, p: Poll, createdBy: string | null): Promise<void> {
    await this.sql.query(
      `insert into room_polls (id, event_id, question, options, multiple, status, results_shared, created_by, created_at, launched_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [p.id, eventId, p.question, JSON.stringify(p.options), p.multiple, p.status, p.resultsShared, createdBy, p.createdAt, p.launchedAt ?? null],
    );
  }

  /** Stores a poll's question and options (drafts only) or its state. */
  async updatePoll(p: Poll): Promise<void> {
    await this.sql.query(
      `update room_polls set question = $2, options = $3, multiple = $4, status = $5, results_shared = $6, launched_at = $7, closed_at = $8
        where id = $1`,
      [p.id, p.question, JSON.stringify(p.options), p.multiple, p.status, p.resultsShared, p.launchedAt ?? null, p.closedAt ?? null],
    );
  }

  /** Deletes a draft poll; false when there is no such draft. */
  async deleteDraftPoll(pollId: string): Promise<boolean> {
    const rows = await this.sql.query("delete from room_polls where id = $1 and status = 'draft' returning id", [pollId]);
    return rows.length > 0;
  }

  /** Stores one person's vote; POLL_ALREADY_VOTED when they voted before. */
  async votePoll(pollId: string, personId: string, choice: number[], at: Date): Promise<void> {
    const rows = await this.sql.query(
      'insert into room_poll_votes (poll_id, person_id, choice, voted_at) values ($1, $2, $3, $4) on conflict do nothing returning 1',
      [pollId, personId, JSON.stringify(choice), at],
      { prepare: 'room_poll_vote' },
    );
    if (!rows.length) throw new PodiumError('POLL_ALREADY_VOTED');
  }

  /** Opens an attendance row; returns its id. */
  async openAttendance(a: AttendanceStart): Promise<string> {
    const id = newId('attendance');
    await this.sql.query(
      'insert into room_attendance (id, event_id, person_id, participant_id, display_name, role, joined_at) values ($1, $2, $3, $4, $5, $6, $7)',
      [id, a.eventId, a.personId, a.participantId, a.displayName, a.role, a.at],
      { prepare: 'room_attendance_open' },
    );
    return id;
  }

  /** Closes an attendance row (idempotent). */
  async closeAttendance(id: string, at: Date): Promise<void> {
    await this.sql.query('update room_attendance set left_at = $2 where id = $1 and left_at is null', [id, at], { prepare: 'room_attendance_close' });
  }

  /** Closes every open attendance row of the event (the event ended, or the room was found open after a crash). */
  async closeOpenAttendance(eventId: EventId, at: Date): Promise<void> {
    await this.sql.query('update room_attendance set left_at = $2 where event_id = $1 and left_at is null', [eventId, at]);
  }

  /** Refuses a person's join link for this event from now on. */
  async ban(eventId: EventId, personId: string, displayName: string, byPerson: string, at: Date): Promise<void> {
    await this.sql.query(
      'insert into event_bans (event_id, person_id, display_name, banned_by, created_at) values ($1, $2, $3, $4, $5) on conflict do nothing',
      [eventId, personId, displayName, byPerson, at],
    );
  }

  /** Appends to the event's audit trail. */
  async audit(r: AuditRecord): Promise<void> {
    const id = newId('audit');
    await this.sql.query(
      `insert into event_audit (id, event_id, at, actor_person, actor_name, action, target_person, target_name, details)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [id, r.eventId, r.at, r.actorPerson, r.actorName, r.action, r.targetPerson, r.targetName, JSON.stringify(r.details ?? {})],
    );
  }
}
