/**
 * A person was erased (GDPR Art. 17) while their event's room is open: the room drops their
 * connections and forgets what it holds of them in memory — their chat messages leave every screen,
 * chat and Q&A are reloaded from SQL (already pseudonymized), grants and mutes go.
 */
import type { Room } from '../room-core';
import { chatAudience, questionEvents } from '../room-views';

/** Applies an erasure to the live room. */
export async function personErased(room: Room, personIds: readonly string[]): Promise<void> {
  const m = room.model;
  const gone = new Set(personIds);
  for (const personId of gone) {
    for (const id of room.participantsOf(personId)) await room.remove(room.member(id), 'removed');
    m.grants.delete(personId);
    m.chatMuted.delete(personId);
  }
  const theirs = m.chat.filter((r) => gone.has(r.fromPerson));
  for (const r of theirs) room.emit({ type: 'chat-deleted', messageId: r.message.id }, chatAudience(r, (p) => room.participantsOf(p)));
  const asked = [...m.questions.values()].filter((q) => gone.has(q.personId)).map((q) => q.question.id);
  const loaded = await room.store.load(room.eventId);
  m.chat = loaded.chat;
  m.questions = new Map(loaded.questions.map((q) => [q.question.id, q]));
  // Their questions stay (counts, answers) under the erased placeholder: everyone sees the new form.
  for (const id of asked) {
    const r = m.questions.get(id);
    if (r) for (const e of questionEvents(r, [])) room.emit({ type: 'question', question: e.value }, e.audience);
  }
}
