import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ROOM_SETTINGS, ROOM_CLIENT_MESSAGE_TYPES, ROOM_SERVER_SCHEMAS, emptyRoomState, newId, parseServerMessage,
  type ChatMessage, type JoinedMessage, type ParticipantInfo, type Poll, type Question, type RoomState, type ServerMessage,
} from '@podium/protocol';
import {
  APPLIED_TYPES, apply, attendeeCount, can, canVote, chatTargets, fromSnapshot, handPosition, mayEdit, mayPublish, rememberChoice,
  peopleCount, rememberVote, sortQuestions, type RoomModel,
} from './room-store';

const T0 = '2026-12-01T10:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();

function person(name: string, role: ParticipantInfo['role'] = 'attendee', extra: Partial<ParticipantInfo> = {}): ParticipantInfo {
  return { id: newId('participant'), displayName: name, role, joinedAt: T0, ...extra };
}

const host = person('Hanna Host', 'host');
const presenter = person('Piet Presenter', 'presenter');
const me = person('Ada Attendee');
const other = person('Otto Other');

function question(text: string, votes: number, s: number, extra: Partial<Question> = {}): Question {
  return { id: newId('question'), text, anonymous: false, author: { displayName: 'X', role: 'attendee' }, askedAt: at(s), votes, status: 'open', ...extra };
}

function poll(status: Poll['status'], extra: Partial<Poll> = {}): Poll {
  return { id: newId('poll'), question: 'Tabs or spaces?', options: ['Tabs', 'Spaces'], multiple: false, status, resultsShared: false, createdAt: T0, ...extra };
}

function chat(text: string, from: ParticipantInfo = other, to: ChatMessage['to'] = 'everyone'): ChatMessage {
  return { id: newId('chatMessage'), from: { participantId: from.id, displayName: from.displayName, role: from.role }, to, text, sentAt: T0 };
}

/** A valid `joined` message (checked against the protocol's schema, so the fixtures stay honest). */
function joined(opts: {
  self?: ParticipantInfo;
  participants?: ParticipantInfo[];
  state?: Partial<RoomState>;
  type?: 'webinar' | 'meeting' | 'training';
  admission?: 'admitted' | 'waiting';
  seq?: number;
} = {}): JoinedMessage {
  const self = opts.self ?? me;
  const msg: JoinedMessage = {
    type: 'joined',
    requestId: 'c2',
    role: self.role,
    room: {
      event: { id: newId('event'), title: 'Spring update', type: opts.type ?? 'webinar', status: 'live', startsAt: T0, durationMinutes: 60, orgName: 'Acme' },
      self,
      participants: opts.participants ?? [host, presenter, self, other],
      seq: opts.seq ?? 10,
      producers: [],
      admission: opts.admission ?? 'admitted',
      state: { ...emptyRoomState('live'), ...opts.state },
    },
  };
  return valid(msg) as JoinedMessage;
}

function valid(msg: ServerMessage): ServerMessage {
  const parsed = parseServerMessage(JSON.stringify(msg));
  if (!parsed.ok) throw new Error(`fixture ${msg.type} is not valid: ${JSON.stringify(parsed.error.details)}`);
  return parsed.message;
}

/** Applies messages in order, each checked against its schema first. */
function run(model: RoomModel, ...msgs: ServerMessage[]): RoomModel {
  return msgs.reduce((m, msg) => apply(m, valid(msg)), model);
}

describe('room-store fromSnapshot', () => {
  it('takes presence, tracks, state and admission from the join snapshot', () => {
    const m = fromSnapshot(joined());
    expect(m.role).toBe('attendee');
    expect(m.self.id).toBe(me.id);
    expect(m.participants.map((p) => p.displayName)).toEqual(['Hanna Host', 'Piet Presenter', 'Ada Attendee', 'Otto Other']);
    expect(m.admission).toBe('admitted');
    expect(m.seq).toBe(10);
    expect(m.state.status).toBe('live');
  });

  it('a snapshot without room state gets an empty one with default settings', () => {
    const j = joined();
    delete j.room.state;
    const m = fromSnapshot(j);
    expect(m.state.settings).toEqual(DEFAULT_ROOM_SETTINGS);
    expect(m.state.chat).toEqual([]);
  });

  it('sorts questions by votes, then by asking time', () => {
    const a = question('first, 1 vote', 1, 1);
    const b = question('second, 3 votes', 3, 2);
    const c = question('third, 1 vote', 1, 3);
    const m = fromSnapshot(joined({ state: { questions: [a, b, c] } }));
    expect(m.state.questions.map((q) => q.text)).toEqual(['second, 3 votes', 'first, 1 vote', 'third, 1 vote']);
  });

  it('remembers what the snapshot says about the viewer: questions asked and voted, poll choices', () => {
    const q1 = question('mine', 0, 1, { mine: true });
    const q2 = question('voted', 2, 2, { voted: true });
    const p = poll('live', { myChoice: [1] });
    const m = fromSnapshot(joined({ state: { questions: [q1, q2], polls: [p] } }));
    expect(m.memory.asked).toEqual([q1.id]);
    expect(m.memory.voted).toEqual([q2.id]);
    expect(m.memory.choices[p.id]).toEqual([1]);
    expect(canVote(m, m.state.polls[0])).toBe(false);
  });

  it('drops duplicated chat messages in the history', () => {
    const c = chat('hello');
    const m = fromSnapshot(joined({ state: { chat: [c, c] } }));
    expect(m.state.chat).toHaveLength(1);
  });
});

describe('room-store apply: presence and tracks', () => {
  it('adds and removes participants in join order and drops events at or below its seq', () => {
    let m = fromSnapshot(joined({ seq: 10 }));
    const late = person('Lena Late');
    m = run(m, { type: 'participant-joined', participant: late, seq: 11 });
    expect(m.participants.at(-1)?.displayName).toBe('Lena Late');
    expect(m.seq).toBe(11);
    // An old event (already in the snapshot) changes nothing.
    const before = m;
    m = run(m, { type: 'participant-left', participantId: late.id, reason: 'left', seq: 9 });
    expect(m).toBe(before);
    m = run(m, { type: 'participant-left', participantId: late.id, reason: 'left', seq: 15 });
    expect(m.participants.some((p) => p.id === late.id)).toBe(false);
    expect(m.seq).toBe(15);
  });

  it('a participant who leaves takes their tracks, hand and pointer along', () => {
    let m = fromSnapshot(joined({ state: { hands: [{ participantId: other.id, raisedAt: T0 }], activeSpeaker: other.id } }));
    m = run(
      m,
      { type: 'producer-added', producerId: 'prd_abc', participantId: other.id, kind: 'video', simulcast: true, paused: false },
      { type: 'pointer', participantId: other.id, x: 0.5, y: 0.5, visible: true },
      { type: 'participant-left', participantId: other.id, reason: 'timeout', seq: 11 },
    );
    expect(m.producers).toEqual([]);
    expect(m.state.hands).toEqual([]);
    expect(m.pointers[other.id]).toBeUndefined();
    expect(m.state.activeSpeaker).toBeNull();
  });

  it('tracks producers added, paused and removed', () => {
    let m = fromSnapshot(joined());
    m = run(m, { type: 'producer-added', producerId: 'prd_v1', participantId: presenter.id, kind: 'video', simulcast: true, paused: false });
    m = run(m, { type: 'producer-added', producerId: 'prd_s1', participantId: presenter.id, kind: 'screen', simulcast: false, paused: false });
    m = run(m, { type: 'producer-paused', producerId: 'prd_v1', paused: true });
    expect(m.producers.map((p) => [p.producerId, p.paused])).toEqual([['prd_v1', true], ['prd_s1', false]]);
    m = run(m, { type: 'producer-removed', producerId: 'prd_v1', participantId: presenter.id });
    expect(m.producers.map((p) => p.producerId)).toEqual(['prd_s1']);
  });

  it('an attendee of a webinar lists the stage only: a promoted attendee appears, a demoted one goes; the count comes from attendee-count', () => {
    let m = fromSnapshot(joined({ participants: [host, me] }));
    const speaker = person('Sam Speaker', 'attendee', { grant: 'speaker' });
    m = run(m, { type: 'participant-updated', participant: speaker });
    expect(m.participants.map((p) => p.displayName)).toEqual(['Hanna Host', 'Ada Attendee', 'Sam Speaker']);
    m = run(m, { type: 'participant-updated', participant: { ...speaker, grant: 'none' } });
    expect(m.participants.map((p) => p.displayName)).toEqual(['Hanna Host', 'Ada Attendee']);
    m = run(m, { type: 'attendee-count', count: 1500 });
    expect(attendeeCount(m)).toBe(1500);
    expect(peopleCount(m)).toBe(1501);
    // Hosts and meetings list everyone.
    const h = run(fromSnapshot(joined({ self: host })), { type: 'participant-updated', participant: { ...other, grant: 'none' } });
    expect(h.participants.some((p) => p.id === other.id)).toBe(true);
  });

  it('participant-updated about oneself updates self (grant, chat mute)', () => {
    let m = fromSnapshot(joined());
    m = run(m, { type: 'participant-updated', participant: { ...me, grant: 'speaker' } });
    expect(m.self.grant).toBe('speaker');
    expect(m.participants.find((p) => p.id === me.id)?.grant).toBe('speaker');
  });
});

describe('room-store apply: lobby and lifecycle', () => {
  it('room-status changes the status for the room and the event', () => {
    let m = fromSnapshot(joined({ state: { status: 'scheduled' } }));
    m = run(m, { type: 'room-status', status: 'live', startedAt: at(5) });
    expect(m.state.status).toBe('live');
    expect(m.state.startedAt).toBe(at(5));
    expect(m.event.status).toBe('live');
  });

  it('admitted replaces the waiting snapshot with the full room, keeping what the client remembered', () => {
    let m = fromSnapshot(joined({ admission: 'waiting', participants: [me], state: { status: 'scheduled' }, seq: 3 }));
    expect(m.admission).toBe('waiting');
    expect(can(m, 'chat-send')).toBe(false);
    const full = joined({ seq: 20, state: { chat: [chat('welcome')] } }).room;
    m = run(m, { type: 'admitted', room: full });
    expect(m.admission).toBe('admitted');
    expect(m.participants).toHaveLength(4);
    expect(m.seq).toBe(20);
    expect(m.state.chat.map((c) => c.text)).toEqual(['welcome']);
    expect(m.role).toBe('attendee');
  });

  it('hosts follow the lobby list; removed and moderated are recorded', () => {
    let m = fromSnapshot(joined({ self: host }));
    m = run(m, { type: 'lobby', waiting: [{ participantId: other.id, displayName: 'Otto', role: 'attendee', since: T0 }] });
    expect(m.state.waiting).toHaveLength(1);
    expect(can(m, 'lobby-admit')).toBe(true);
    m = run(m, { type: 'moderated', action: 'mute-audio', by: 'Hanna' }, { type: 'moderated', action: 'stop-video', by: 'Hanna' });
    expect(m.moderation).toEqual({ n: 2, action: 'stop-video', by: 'Hanna' });
    m = run(m, { type: 'removed', reason: 'banned' });
    expect(m.removed).toBe('banned');
    expect(can(m, 'chat-send')).toBe(false);
  });

  it('settings, hands (arrival order) and stage replace what was there', () => {
    let m = fromSnapshot(joined());
    m = run(m, { type: 'settings', settings: { ...DEFAULT_ROOM_SETTINGS, chatEnabled: false } });
    expect(m.state.settings.chatEnabled).toBe(false);
    m = run(m, { type: 'hands', hands: [{ participantId: other.id, raisedAt: at(1) }, { participantId: me.id, raisedAt: at(2) }] });
    expect(handPosition(m, me.id)).toBe(2);
    expect(handPosition(m, host.id)).toBe(0);
    m = run(m, { type: 'stage', stage: { content: 'slides', slides: { fileId: newId('file'), name: 'deck.pdf', page: 3, pageCount: 9 }, whiteboardPage: 1 } });
    expect(m.state.stage.slides?.page).toBe(3);
    m = run(m, { type: 'active-speaker', participantId: presenter.id });
    expect(m.state.activeSpeaker).toBe(presenter.id);
  });
});

describe('room-store apply: chat', () => {
  it('de-duplicates by id (the sender gets chat-sent and chat for the same message)', () => {
    let m = fromSnapshot(joined());
    const c = chat('hi all', me);
    m = run(m, { type: 'chat-sent', requestId: 'c7', message: c }, { type: 'chat', message: c });
    expect(m.state.chat).toHaveLength(1);
    m = run(m, { type: 'chat-deleted', messageId: c.id });
    expect(m.state.chat).toHaveLength(0);
  });

  it('keeps private messages as the server sends them (the server decides who reads them)', () => {
    let m = fromSnapshot(joined());
    m = run(m, { type: 'chat', message: chat('just for hosts', me, 'hosts') });
    expect(m.state.chat[0].to).toBe('hosts');
  });
});

describe('room-store apply: Q&A', () => {
  it('remembers questions I asked and keeps them marked mine when events update them', () => {
    let m = fromSnapshot(joined());
    const q = question('How fast?', 0, 1);
    m = run(m, { type: 'question-asked', requestId: 'c9', question: q });
    expect(m.state.questions[0].mine).toBe(true);
    m = run(m, { type: 'question', question: { ...q, votes: 4 } });
    expect(m.state.questions[0]).toMatchObject({ mine: true, votes: 4 });
  });

  it('re-sorts on every vote change and keeps my upvotes (which events do not carry)', () => {
    const a = question('A', 2, 1);
    const b = question('B', 1, 2);
    let m = fromSnapshot(joined({ state: { questions: [a, b] } }));
    expect(m.state.questions.map((q) => q.text)).toEqual(['A', 'B']);
    m = rememberVote(m, b.id, true);
    m = run(m, { type: 'question', question: { ...b, votes: 3 } });
    expect(m.state.questions.map((q) => q.text)).toEqual(['B', 'A']);
    expect(m.state.questions[0].voted).toBe(true);
    m = rememberVote(m, b.id, false);
    expect(m.state.questions.find((q) => q.id === b.id)?.voted).toBe(false);
  });

  it('sortQuestions is stable for equal votes and times', () => {
    const t = at(1);
    const qs = [question('x', 0, 1, { askedAt: t }), question('y', 0, 1, { askedAt: t })];
    expect(sortQuestions(qs).map((q) => q.text)).toEqual(['x', 'y']);
  });
});

describe('room-store apply: polls and reactions', () => {
  it('keeps my choice across poll events and says whether I may still vote', () => {
    const p = poll('live');
    let m = fromSnapshot(joined({ state: { polls: [p] } }));
    expect(canVote(m, m.state.polls[0])).toBe(true);
    expect(can(m, 'poll-vote')).toBe(true);
    m = rememberChoice(m, p.id, [0]);
    m = run(m, { type: 'poll', poll: { ...p, resultsShared: true, results: { counts: [3, 1], voters: 4 } } });
    expect(m.state.polls[0].myChoice).toEqual([0]);
    expect(canVote(m, m.state.polls[0])).toBe(false);
    expect(can(m, 'poll-vote')).toBe(false);
    m = run(m, { type: 'poll', poll: { ...p, status: 'closed' } });
    expect(m.state.polls[0].status).toBe('closed');
  });

  it('adds created polls and removes deleted ones', () => {
    let m = fromSnapshot(joined({ self: host }));
    const p = poll('draft');
    m = run(m, { type: 'poll-created', requestId: 'c3', poll: p });
    expect(m.state.polls).toHaveLength(1);
    m = run(m, { type: 'poll-removed', pollId: p.id });
    expect(m.state.polls).toHaveLength(0);
  });

  it('numbers every reactions burst so a UI shows each one once', () => {
    let m = fromSnapshot(joined());
    m = run(m, { type: 'reactions', counts: [{ emoji: '👏', count: 3 }] }, { type: 'reactions', counts: [{ emoji: '🎉', count: 1 }] });
    expect(m.reactions).toEqual({ n: 2, counts: [{ emoji: '🎉', count: 1 }] });
  });

  it('files replace the list; replies with nothing to apply leave the model as it is', () => {
    let m = fromSnapshot(joined());
    const f = { id: newId('file'), name: 'handout.pdf', contentType: 'application/pdf', size: 10, purpose: 'handout' as const, uploadedAt: T0 };
    m = run(m, { type: 'files', files: [f] });
    expect(m.state.files).toEqual([f]);
    const before = m;
    expect(apply(m, { type: 'ack', requestId: 'c1' })).toBe(before);
    expect(apply(m, { type: 'doc-update', doc: 'board', update: 'AAA=' })).toBe(before);
  });

  it('every pushed room event type of the protocol is handled', () => {
    const pushed = Object.keys(ROOM_SERVER_SCHEMAS).filter((t) => !['doc-state', 'file-link', 'doc-update'].includes(t));
    for (const t of pushed) expect(APPLIED_TYPES, t).toContain(t);
  });
});

describe('room-store derived: who may publish', () => {
  it('hosts and presenters always; attendees of a webinar only with a grant', () => {
    expect(mayPublish(fromSnapshot(joined({ self: host })), 'screen')).toBe(true);
    expect(mayPublish(fromSnapshot(joined({ self: presenter })), 'video')).toBe(true);
    const plain = fromSnapshot(joined());
    expect(mayPublish(plain, 'audio')).toBe(false);
    const speaker = fromSnapshot(joined({ self: { ...me, grant: 'speaker' } }));
    expect(['audio', 'video', 'screen'].map((k) => mayPublish(speaker, k as 'audio'))).toEqual([true, true, true]);
    const camera = fromSnapshot(joined({ self: { ...me, grant: 'camera' }, type: 'training' }));
    expect(['audio', 'video', 'screen'].map((k) => mayPublish(camera, k as 'audio'))).toEqual([false, true, false]);
  });

  it('in a meeting everyone, cameras up to the room limit', () => {
    let m = fromSnapshot(joined({ type: 'meeting', state: { settings: { ...DEFAULT_ROOM_SETTINGS, maxCameras: 1 } } }));
    expect(mayPublish(m, 'video')).toBe(true);
    m = run(m, { type: 'producer-added', producerId: 'prd_x', participantId: other.id, kind: 'video', simulcast: true, paused: false });
    expect(mayPublish(m, 'video')).toBe(false);
    expect(mayPublish(m, 'audio')).toBe(true);
  });

  it('nobody publishes from the lobby', () => {
    expect(mayPublish(fromSnapshot(joined({ self: host, admission: 'waiting' })), 'audio')).toBe(false);
  });
});

describe('room-store derived: can()', () => {
  it('follows ROOM_MESSAGE_RULES by role', () => {
    const att = fromSnapshot(joined());
    const pre = fromSnapshot(joined({ self: presenter }));
    const hst = fromSnapshot(joined({ self: host }));
    for (const t of ['moderate', 'room-end', 'room-settings', 'stage-grant', 'chat-mute'] as const) {
      expect(can(att, t), t).toBe(false);
      expect(can(pre, t), t).toBe(false);
      expect(can(hst, t), t).toBe(true);
    }
    for (const t of ['poll-create', 'stage-set', 'pointer', 'question-answer'] as const) {
      expect(can(att, t), t).toBe(false);
      expect(can(pre, t), t).toBe(true);
    }
    expect(ROOM_CLIENT_MESSAGE_TYPES.every((t) => typeof can(hst, t) === 'boolean')).toBe(true);
  });

  it('start only while scheduled, end only while live', () => {
    const scheduled = fromSnapshot(joined({ self: host, state: { status: 'scheduled' } }));
    expect(can(scheduled, 'room-start')).toBe(true);
    expect(can(scheduled, 'room-end')).toBe(false);
    const live = fromSnapshot(joined({ self: host }));
    expect(can(live, 'room-start')).toBe(false);
    expect(can(live, 'room-end')).toBe(true);
  });

  it('chat: off for attendees when disabled (private to hosts still possible), hosts always; muted attendees cannot write', () => {
    const off = { settings: { ...DEFAULT_ROOM_SETTINGS, chatEnabled: false } };
    const att = fromSnapshot(joined({ state: off }));
    expect(chatTargets(att)).toEqual({ everyone: false, hosts: true, participants: false });
    expect(can(att, 'chat-send')).toBe(true);
    const attNoPrivate = fromSnapshot(joined({ state: { settings: { ...off.settings, privateChatEnabled: false } } }));
    expect(can(attNoPrivate, 'chat-send')).toBe(false);
    const hst = fromSnapshot(joined({ self: host, state: off }));
    expect(chatTargets(hst)).toEqual({ everyone: true, hosts: true, participants: true });
    const muted = fromSnapshot(joined({ self: { ...me, chatMuted: true } }));
    expect(can(muted, 'chat-send')).toBe(false);
  });

  it('Q&A and reactions follow their settings; attendees raise hands, staff do not need to', () => {
    const off = fromSnapshot(joined({ state: { settings: { ...DEFAULT_ROOM_SETTINGS, qaEnabled: false, reactionsEnabled: false } } }));
    expect(can(off, 'question-ask')).toBe(false);
    expect(can(off, 'react')).toBe(false);
    expect(can(fromSnapshot(joined()), 'hand-raise')).toBe(true);
    expect(can(fromSnapshot(joined({ self: presenter })), 'hand-raise')).toBe(false);
  });

  it('documents: board for staff and speakers, notes for attendees only when the host allows', () => {
    const att = fromSnapshot(joined());
    expect(mayEdit(att, 'board')).toBe(false);
    expect(mayEdit(att, 'notes')).toBe(false);
    const allowed = fromSnapshot(joined({ state: { settings: { ...DEFAULT_ROOM_SETTINGS, notesEditableByAttendees: true } } }));
    expect(mayEdit(allowed, 'notes')).toBe(true);
    const speaker = fromSnapshot(joined({ self: { ...me, grant: 'speaker' } }));
    expect(mayEdit(speaker, 'board')).toBe(true);
    expect(mayEdit(fromSnapshot(joined({ self: presenter })), 'notes')).toBe(true);
  });
});
