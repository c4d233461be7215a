/**
 * Polls: prepare (here or through the REST API), launch, vote once per person, share results,
 * close, delete drafts. Votes are stored before they are counted; vote counts reach staff
 * coalesced, the rest of the room when results are shared.
 */
import { PodiumError, newId, type Poll, type PollDraft, type RoomClientMessageOf } from '@podium/protocol';
import type { Room, RoomHandler } from '../room-core';
import type { PollRecord } from '../room-records';
import { pollEvents, pollFor } from '../room-views';

function announce(room: Room, r: PollRecord): void {
  for (const e of pollEvents(r, false)) room.emit({ type: 'poll', poll: e.value }, e.audience);
}

function find(room: Room, pollId: string): PollRecord {
  const r = room.model.polls.get(pollId);
  if (!r) throw new PodiumError('POLL_NOT_FOUND');
  return r;
}

/** A draft's question and options, trimmed; duplicates and blanks refused. */
export function cleanDraft(d: PollDraft): PollDraft {
  const question = d.question.trim();
  const options = d.options.map((o) => o.trim());
  if (!question || options.some((o) => !o)) throw new PodiumError('VALIDATION_FAILED', 'The question and every option need text.');
  if (new Set(options.map((o) => o.toLowerCase())).size !== options.length) throw new PodiumError('VALIDATION_FAILED', 'Two options are the same.');
  return { question, options, multiple: d.multiple };
}

const create: RoomHandler<RoomClientMessageOf<'poll-create'>> = async (room, from, msg) => {
  const now = room.now().toISOString();
  const draft = cleanDraft(msg.poll);
  const poll: Poll = { id: newId('poll'), ...draft, status: msg.launch ? 'live' : 'draft', resultsShared: false, createdAt: now, ...(msg.launch ? { launchedAt: now } : {}) };
  await room.store.insertPoll(room.eventId, poll, from.personId);
  const record: PollRecord = { poll, votes: new Map() };
  room.model.polls.set(poll.id, record);
  announce(room, record);
  return { type: 'poll-created', requestId: msg.requestId, poll: pollFor(record, from, true)! };
};

const launch: RoomHandler<RoomClientMessageOf<'poll-launch'>> = async (room, _from, msg) => {
  const r = find(room, msg.pollId);
  if (r.poll.status !== 'draft') throw new PodiumError('POLL_ALREADY_LAUNCHED');
  r.poll = { ...r.poll, status: 'live', launchedAt: room.now().toISOString() };
  await room.store.updatePoll(r.poll);
  announce(room, r);
};

const close: RoomHandler<RoomClientMessageOf<'poll-close'>> = async (room, _from, msg) => {
  const r = find(room, msg.pollId);
  if (r.poll.status !== 'live') throw new PodiumError('POLL_NOT_LIVE');
  r.poll = { ...r.poll, status: 'closed', closedAt: room.now().toISOString() };
  await room.store.updatePoll(r.poll);
  announce(room, r);
};

const share: RoomHandler<RoomClientMessageOf<'poll-share'>> = async (room, _from, msg) => {
  const r = find(room, msg.pollId);
  if (r.poll.status === 'draft') throw new PodiumError('POLL_NOT_LIVE', 'Launch the poll before sharing its results.');
  if (r.poll.resultsShared === msg.shared) return;
  r.poll = { ...r.poll, resultsShared: msg.shared };
  await room.store.updatePoll(r.poll);
  announce(room, r);
};

const remove: RoomHandler<RoomClientMessageOf<'poll-delete'>> = async (room, _from, msg) => {
  const r = find(room, msg.pollId);
  if (r.poll.status !== 'draft' || !(await room.store.deleteDraftPoll(r.poll.id))) throw new PodiumError('POLL_ALREADY_LAUNCHED');
  room.model.polls.delete(r.poll.id);
  room.emit({ type: 'poll-removed', pollId: r.poll.id }, { roles: ['host', 'presenter'] });
};

const vote: RoomHandler<RoomClientMessageOf<'poll-vote'>> = async (room, from, msg) => {
  const r = find(room, msg.pollId);
  if (r.poll.status === 'draft' && !pollFor(r, from, false)) throw new PodiumError('POLL_NOT_FOUND');
  if (r.poll.status !== 'live') throw new PodiumError('POLL_NOT_LIVE');
  if (!r.poll.multiple && msg.choice.length > 1) throw new PodiumError('VALIDATION_FAILED', 'Choose one option in this poll.');
  if (msg.choice.some((i) => i >= r.poll.options.length)) throw new PodiumError('VALIDATION_FAILED', 'No such option.');
  if (r.votes.has(from.personId)) throw new PodiumError('POLL_ALREADY_VOTED');
  const choice = [...msg.choice].sort((a, b) => a - b);
  await room.store.votePoll(r.poll.id, from.personId, choice, room.now());
  r.votes.set(from.personId, choice);
  room.pollChanged(r.poll.id);
};

/** Prepared polls changed through the REST API: drafts are reloaded and staff told. */
export async function pollsChanged(room: Room): Promise<void> {
  const m = room.model;
  const fresh = await room.store.polls(room.eventId);
  const ids = new Set(fresh.map((p) => p.poll.id));
  for (const id of [...m.polls.keys()]) {
    if (!ids.has(id)) {
      m.polls.delete(id);
      room.emit({ type: 'poll-removed', pollId: id as Poll['id'] }, { roles: ['host', 'presenter'] });
    }
  }
  for (const r of fresh) {
    const known = m.polls.get(r.poll.id);
    if (known && JSON.stringify(known.poll) === JSON.stringify(r.poll)) continue;
    m.polls.set(r.poll.id, r);
    announce(room, r);
  }
}

/** Handlers of the poll messages. */
export const pollHandlers = {
  'poll-create': create,
  'poll-launch': launch,
  'poll-close': close,
  'poll-share': share,
  'poll-delete': remove,
  'poll-vote': vote,
};
