/**
 * Q&A: ask (optionally anonymously to other attendees), upvote once per person, answer in text,
 * mark answered live, dismiss, open again. Each change reaches every audience in its own copy.
 */
import { PodiumError, newId, type ParticipantId, type Question, type RoomClientMessageOf } from '@podium/protocol';
import type { Room, RoomHandler } from '../room-core';
import { isStaff, type QuestionRecord } from '../room-records';
import { questionEvents, questionFor } from '../room-views';
import { cleanText } from './chat';

function announce(room: Room, r: QuestionRecord): void {
  for (const e of questionEvents(r, room.participantsOf(r.personId))) room.emit({ type: 'question', question: e.value }, e.audience);
}

function find(room: Room, questionId: string): QuestionRecord {
  const r = room.model.questions.get(questionId);
  if (!r) throw new PodiumError('QUESTION_NOT_FOUND');
  return r;
}

const ask: RoomHandler<RoomClientMessageOf<'question-ask'>> = async (room, from, msg) => {
  const m = room.model;
  if (!m.settings.qaEnabled && !isStaff(from.info.role)) throw new PodiumError('QA_DISABLED');
  if (!room.allow(from.personId, 'question')) throw new PodiumError('SIGNAL_RATE_LIMITED', 'Too many questions; wait a moment.');
  const question: Question = {
    id: newId('question'),
    text: cleanText(msg.text),
    anonymous: msg.anonymous === true,
    author: { participantId: from.info.id as ParticipantId, displayName: from.info.displayName, role: from.info.role },
    askedAt: room.now().toISOString(),
    votes: 0,
    status: 'open',
  };
  const record: QuestionRecord = { question, personId: from.personId, voters: new Set() };
  await room.store.insertQuestion(room.eventId, record);
  m.questions.set(question.id, record);
  announce(room, record);
  return { type: 'question-asked', requestId: msg.requestId, question: questionFor(record, from, true)! };
};

const vote: RoomHandler<RoomClientMessageOf<'question-vote'>> = async (room, from, msg) => {
  const r = find(room, msg.questionId);
  if (!questionFor(r, from, false) || r.question.status === 'dismissed') throw new PodiumError('QUESTION_NOT_FOUND');
  if (r.voters.has(from.personId) === msg.up) return;
  const votes = await room.store.voteQuestion(r.question.id, from.personId, msg.up, room.now());
  if (msg.up) r.voters.add(from.personId);
  else r.voters.delete(from.personId);
  r.question = { ...r.question, votes };
  announce(room, r);
};

const answer: RoomHandler<RoomClientMessageOf<'question-answer'>> = async (room, from, msg) => {
  const r = find(room, msg.questionId);
  r.question = { ...r.question, status: 'answered', answer: { text: cleanText(msg.text), by: from.info.displayName, at: room.now().toISOString() } };
  await room.store.updateQuestion(r.question);
  announce(room, r);
};

const status: RoomHandler<RoomClientMessageOf<'question-status'>> = async (room, from, msg) => {
  const r = find(room, msg.questionId);
  if (r.question.status === msg.status) return;
  if (msg.status === 'answered' && !r.question.answer) throw new PodiumError('VALIDATION_FAILED', 'Answer the question in text (question-answer) to mark it answered.');
  r.question = { ...r.question, status: msg.status };
  await room.store.updateQuestion(r.question);
  if (msg.status === 'dismissed') await room.audit(from, 'question.dismiss', null, { questionId: r.question.id, authorPerson: r.personId });
  announce(room, r);
};

/** Handlers of the Q&A messages. */
export const questionHandlers = {
  'question-ask': ask,
  'question-vote': vote,
  'question-answer': answer,
  'question-status': status,
};
