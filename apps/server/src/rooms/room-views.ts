/**
 * What each participant may see of the room's records: private chat only for the hosts and the
 * two people in it, anonymous questions without their author for attendees, dismissed questions
 * only for staff and their author, poll drafts only for staff and results only once shared. Used
 * for join snapshots (per viewer) and for events (per audience) alike, so the two never disagree.
 */
import type { ChatMessage, Poll, Question, RoomAudience } from '@podium/protocol';
import { tally } from './room-store';
import { isStaff, type ChatRecord, type Member, type PollRecord, type QuestionRecord } from './room-records';

/** True when `viewer` may read this chat message. */
export function mayReadChat(r: ChatRecord, viewer: Member): boolean {
  if (r.toKind === 'everyone') return true;
  if (viewer.info.role === 'host' || viewer.personId === r.fromPerson) return true;
  return r.toKind === 'direct' && viewer.personId === r.toPerson;
}

/** The audience of a chat message: everyone, or the hosts plus the people it is from and to. */
export function chatAudience(r: ChatRecord, participantsOf: (personId: string) => string[]): RoomAudience | undefined {
  if (r.toKind === 'everyone') return undefined;
  const people = [...participantsOf(r.fromPerson), ...(r.toPerson ? participantsOf(r.toPerson) : [])];
  return { roles: ['host'], participants: people as RoomAudience['participants'] };
}

/** A question as `viewer` may see it, or null when they may not see it at all. */
export function questionFor(r: QuestionRecord, viewer: Member, withViewerFlags: boolean): Question | null {
  const own = viewer.personId === r.personId;
  const staff = isStaff(viewer.info.role);
  if (r.question.status === 'dismissed' && !staff && !own) return null;
  const q: Question = { ...r.question };
  if (q.anonymous && !staff && !own) q.author = null;
  if (withViewerFlags) {
    q.mine = own;
    q.voted = r.voters.has(viewer.personId);
  }
  return q;
}

/** A room event's payload and whom it is for (no audience: everyone admitted). */
export interface Addressed<T> {
  value: T;
  audience?: RoomAudience;
}

/** One copy of a question event per audience: staff and the author see it whole. */
export function questionEvents(r: QuestionRecord, authorParticipants: string[]): Addressed<Question>[] {
  const q = r.question;
  const author = authorParticipants as NonNullable<RoomAudience['participants']>;
  const whole: Addressed<Question> = { value: { ...q }, audience: { roles: ['host', 'presenter'], participants: author } };
  // Attendees drop a dismissed question: they get its id and status, not its text or author.
  const forAttendees: Question = q.status === 'dismissed'
    ? { id: q.id, text: '', anonymous: q.anonymous, author: null, askedAt: q.askedAt, votes: q.votes, status: q.status }
    : q.anonymous ? { ...q, author: null } : { ...q };
  return [whole, { value: forAttendees, audience: { roles: ['attendee'], except: author } }];
}

/** A poll as `viewer` may see it, or null (a draft for an attendee). */
export function pollFor(r: PollRecord, viewer: Member, withViewerFlags: boolean): Poll | null {
  const staff = isStaff(viewer.info.role);
  if (r.poll.status === 'draft' && !staff) return null;
  const p: Poll = { ...r.poll };
  if (staff || p.resultsShared) p.results = tally(p.options.length, r.votes.values());
  if (withViewerFlags) {
    const mine = r.votes.get(viewer.personId);
    if (mine) p.myChoice = [...mine];
  }
  return p;
}

/** One copy of a poll event per audience; `staffOnly` for vote counts while results are not shared. */
export function pollEvents(r: PollRecord, staffOnly: boolean): Addressed<Poll>[] {
  const staff: RoomAudience = { roles: ['host', 'presenter'] };
  const whole: Poll = { ...r.poll, results: tally(r.poll.options.length, r.votes.values()) };
  if (r.poll.status === 'draft' || staffOnly) return [{ value: whole, audience: staff }];
  if (r.poll.resultsShared) return [{ value: whole }];
  return [{ value: whole, audience: staff }, { value: { ...r.poll }, audience: { roles: ['attendee'] } }];
}

/** The chat a viewer gets in its snapshot: the newest `limit` messages it may read, oldest first. */
export function chatFor(records: readonly ChatRecord[], viewer: Member, limit: number): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (let i = records.length - 1; i >= 0 && out.length < limit; i--) {
    if (mayReadChat(records[i], viewer)) out.push(records[i].message);
  }
  return out.reverse();
}
