/**
 * Client → server messages of the live room (lobby, lifecycle, stage, hands, chat, Q&A, polls,
 * reactions, documents, moderation). Each is a discriminated union member with a `type` and a
 * `requestId`; the reply is `ack` unless the table in docs/signaling.md names another. The
 * connection validates them against these schemas and forwards them to the room's coordinator,
 * which decides who may do what (ROOM_MESSAGE_RULES) with the room's current state.
 */
import { Type, type Static } from '@sinclair/typebox';
import { IdSchema } from '../ids';
import { ParticipantIdSchema, RequestId } from './common';
import {
  ConnectionQuality, MAX_CHAT_TEXT, MAX_POLL_OPTIONS, PollDraft, QuestionStatus, ReactionSchema, RoomDocName,
  RoomSettings, StageContent, StageGrant,
} from './room-state';

const Text = Type.String({ minLength: 1, maxLength: MAX_CHAT_TEXT });

/** Largest Yjs update a client may send in one message (base64 characters). */
export const MAX_DOC_UPDATE_CHARS = 48_000;
/** A Yjs update or state vector, base64-encoded. */
const Base64 = Type.String({ maxLength: MAX_DOC_UPDATE_CHARS, pattern: '^[A-Za-z0-9+/]*={0,2}$' });

// ---- lobby and lifecycle ----------------------------------------------------------------------

/** Host: let waiting participants in (the ones named, or everyone waiting). */
export const LobbyAdmitMessage = Type.Object({
  type: Type.Literal('lobby-admit'),
  requestId: RequestId,
  participantIds: Type.Optional(Type.Array(ParticipantIdSchema, { minItems: 1, maxItems: 500 })),
  all: Type.Optional(Type.Literal(true)),
});
/** Host: refuse someone waiting in the lobby (they are told and disconnected). */
export const LobbyDenyMessage = Type.Object({ type: Type.Literal('lobby-deny'), requestId: RequestId, participantId: ParticipantIdSchema });
/** Host: start the event (status live); the lobby enters unless the waiting room is on. */
export const RoomStartMessage = Type.Object({ type: Type.Literal('room-start'), requestId: RequestId });
/** Host: end the event for everyone (status ended); every connection is closed. */
export const RoomEndMessage = Type.Object({ type: Type.Literal('room-end'), requestId: RequestId });
/** Host: change some of the room's settings. */
export const RoomSettingsMessage = Type.Object({
  type: Type.Literal('room-settings'),
  requestId: RequestId,
  settings: Type.Partial(RoomSettings, { minProperties: 1 }),
});

/** Host: start recording the room (every track, and the room's timeline). Reply: ack. */
export const RecordingStartMessage = Type.Object({ type: Type.Literal('recording-start'), requestId: RequestId });
/** Host: stop recording; the recording's files are finalized and the MP4 is composed in the background. */
export const RecordingStopMessage = Type.Object({ type: Type.Literal('recording-stop'), requestId: RequestId });

// ---- stage and hands --------------------------------------------------------------------------

/** Host or presenter: what the stage shows, which deck, which page (fields left out stay as they are). */
export const StageSetMessage = Type.Object({
  type: Type.Literal('stage-set'),
  requestId: RequestId,
  content: Type.Optional(StageContent),
  /** A slides file of this event; null takes the deck off stage. */
  fileId: Type.Optional(Type.Union([IdSchema('file'), Type.Null()])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  whiteboardPage: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});
/** Host or presenter: the laser pointer's position on the stage (0–1 across and down), or hidden. */
export const PointerMessage = Type.Object({
  type: Type.Literal('pointer'),
  requestId: RequestId,
  x: Type.Number({ minimum: 0, maximum: 1 }),
  y: Type.Number({ minimum: 0, maximum: 1 }),
  visible: Type.Boolean(),
});
/** Raise or lower one's own hand. */
export const HandRaiseMessage = Type.Object({ type: Type.Literal('hand-raise'), requestId: RequestId, raised: Type.Boolean() });
/** Host: lower someone's hand. */
export const HandLowerMessage = Type.Object({ type: Type.Literal('hand-lower'), requestId: RequestId, participantId: ParticipantIdSchema });
/** Host: bring an attendee on stage (speaker, or camera only in a training) or back to the audience. */
export const StageGrantMessage = Type.Object({
  type: Type.Literal('stage-grant'),
  requestId: RequestId,
  participantId: ParticipantIdSchema,
  grant: StageGrant,
});
/** One's own connection quality, as measured by the client (sent when it changes). */
export const QualityReportMessage = Type.Object({ type: Type.Literal('quality-report'), requestId: RequestId, quality: ConnectionQuality });

// ---- chat -------------------------------------------------------------------------------------

/** Send a chat message to everyone, privately to the hosts, or (hosts) privately to one participant. Reply: chat-sent. */
export const ChatSendMessage = Type.Object({
  type: Type.Literal('chat-send'),
  requestId: RequestId,
  text: Text,
  to: Type.Union([Type.Literal('everyone'), Type.Literal('hosts'), ParticipantIdSchema]),
});
/** Host: delete a chat message for everyone. */
export const ChatDeleteMessage = Type.Object({ type: Type.Literal('chat-delete'), requestId: RequestId, messageId: IdSchema('chatMessage') });
/** Host: stop (or allow again) one participant's chat messages. */
export const ChatMuteMessage = Type.Object({ type: Type.Literal('chat-mute'), requestId: RequestId, participantId: ParticipantIdSchema, muted: Type.Boolean() });

// ---- Q&A --------------------------------------------------------------------------------------

/** Ask a question (anonymous: other attendees do not see who asked; hosts do). Reply: question-asked. */
export const QuestionAskMessage = Type.Object({
  type: Type.Literal('question-ask'),
  requestId: RequestId,
  text: Text,
  anonymous: Type.Optional(Type.Boolean()),
});
/** Upvote a question (or take the vote back). */
export const QuestionVoteMessage = Type.Object({ type: Type.Literal('question-vote'), requestId: RequestId, questionId: IdSchema('question'), up: Type.Boolean() });
/** Host or presenter: answer a question in text (status answered). */
export const QuestionAnswerMessage = Type.Object({ type: Type.Literal('question-answer'), requestId: RequestId, questionId: IdSchema('question'), text: Text });
/** Host or presenter: mark a question answered live, dismiss it, or open it again. */
export const QuestionStatusMessage = Type.Object({ type: Type.Literal('question-status'), requestId: RequestId, questionId: IdSchema('question'), status: QuestionStatus });

// ---- polls ------------------------------------------------------------------------------------

/** Host or presenter: prepare a poll (and launch it at once with `launch`). Reply: poll-created. */
export const PollCreateMessage = Type.Object({
  type: Type.Literal('poll-create'),
  requestId: RequestId,
  poll: PollDraft,
  launch: Type.Optional(Type.Boolean()),
});
/** Host or presenter: open a prepared poll for votes. */
export const PollLaunchMessage = Type.Object({ type: Type.Literal('poll-launch'), requestId: RequestId, pollId: IdSchema('poll') });
/** Host or presenter: stop a poll's voting (its results are kept). */
export const PollCloseMessage = Type.Object({ type: Type.Literal('poll-close'), requestId: RequestId, pollId: IdSchema('poll') });
/** Host or presenter: show a poll's results to everyone, or hide them again. */
export const PollShareMessage = Type.Object({ type: Type.Literal('poll-share'), requestId: RequestId, pollId: IdSchema('poll'), shared: Type.Boolean() });
/** Host or presenter: delete a poll that was never launched. */
export const PollDeleteMessage = Type.Object({ type: Type.Literal('poll-delete'), requestId: RequestId, pollId: IdSchema('poll') });
/** Vote once in a live poll: one option, or several in a multiple-choice poll. */
export const PollVoteMessage = Type.Object({
  type: Type.Literal('poll-vote'),
  requestId: RequestId,
  pollId: IdSchema('poll'),
  choice: Type.Array(Type.Integer({ minimum: 0, maximum: MAX_POLL_OPTIONS - 1 }), { minItems: 1, maxItems: MAX_POLL_OPTIONS, uniqueItems: true }),
});

// ---- reactions, documents, files ----------------------------------------------------------------

/** Send an emoji reaction (rate-limited; shown to everyone as a light stream). */
export const ReactMessage = Type.Object({ type: Type.Literal('react'), requestId: RequestId, emoji: ReactionSchema });
/** Ask for what a document holds beyond the client's state vector. Reply: doc-state. */
export const DocSyncMessage = Type.Object({ type: Type.Literal('doc-sync'), requestId: RequestId, doc: RoomDocName, stateVector: Base64 });
/** Apply a Yjs update to a document (whiteboard and annotations: hosts and presenters; notes: see settings). */
export const DocUpdateMessage = Type.Object({ type: Type.Literal('doc-update'), requestId: RequestId, doc: RoomDocName, update: Base64 });
/** Ask for a short-lived download link of one of the event's files. Reply: file-link. */
export const FileLinkMessage = Type.Object({ type: Type.Literal('file-link'), requestId: RequestId, fileId: IdSchema('file') });

// ---- moderation -------------------------------------------------------------------------------

/** What a host may do to a participant. */
export const ModerationAction = Type.Union([
  /** Pause their microphone (they may unmute themselves). */
  Type.Literal('mute-audio'),
  /** Stop their camera. */
  Type.Literal('stop-video'),
  /** Stop their screen share. */
  Type.Literal('stop-screen'),
  /** Remove them from the room (they may come back unless the room is locked). */
  Type.Literal('remove'),
  /** Remove them and refuse their join link for this event from now on. */
  Type.Literal('ban'),
]);
/** What a host may do to a participant. */
export type ModerationAction = Static<typeof ModerationAction>;

/** Host: moderate a participant. Recorded in the event's audit trail. */
export const ModerateMessage = Type.Object({ type: Type.Literal('moderate'), requestId: RequestId, participantId: ParticipantIdSchema, action: ModerationAction });

/** Every room message from the client, by type. */
export const ROOM_CLIENT_SCHEMAS = {
  'lobby-admit': LobbyAdmitMessage,
  'lobby-deny': LobbyDenyMessage,
  'room-start': RoomStartMessage,
  'room-end': RoomEndMessage,
  'room-settings': RoomSettingsMessage,
  'recording-start': RecordingStartMessage,
  'recording-stop': RecordingStopMessage,
  'stage-set': StageSetMessage,
  pointer: PointerMessage,
  'hand-raise': HandRaiseMessage,
  'hand-lower': HandLowerMessage,
  'stage-grant': StageGrantMessage,
  'quality-report': QualityReportMessage,
  'chat-send': ChatSendMessage,
  'chat-delete': ChatDeleteMessage,
  'chat-mute': ChatMuteMessage,
  'question-ask': QuestionAskMessage,
  'question-vote': QuestionVoteMessage,
  'question-answer': QuestionAnswerMessage,
  'question-status': QuestionStatusMessage,
  'poll-create': PollCreateMessage,
  'poll-launch': PollLaunchMessage,
  'poll-close': PollCloseMessage,
  'poll-share': PollShareMessage,
  'poll-delete': PollDeleteMessage,
  'poll-vote': PollVoteMessage,
  react: ReactMessage,
  'doc-sync': DocSyncMessage,
  'doc-update': DocUpdateMessage,
  'file-link': FileLinkMessage,
  moderate: ModerateMessage,
} as const;

/** The `type` of a room message from the client. */
export type RoomClientMessageType = keyof typeof ROOM_CLIENT_SCHEMAS;
/** Room message types from the client, for docs and tests. */
export const ROOM_CLIENT_MESSAGE_TYPES = Object.keys(ROOM_CLIENT_SCHEMAS) as RoomClientMessageType[];
/** A room message from the client. */
export type RoomClientMessage = Static<(typeof ROOM_CLIENT_SCHEMAS)[RoomClientMessageType]>;
/** The room message from the client with this `type`. */
export type RoomClientMessageOf<K extends RoomClientMessageType> = Static<(typeof ROOM_CLIENT_SCHEMAS)[K]>;

/**
 * Who may send each room message, by role. `everyone` includes attendees; `staff` is hosts and
 * presenters; `hosts` is hosts only (moderators). The coordinator enforces this with the room's
 * state on top (chat disabled, notes editable by attendees, live polls only…); the web app uses
 * the same table to decide what to show.
 */
export const ROOM_MESSAGE_RULES: Record<RoomClientMessageType, 'everyone' | 'staff' | 'hosts'> = {
  'lobby-admit': 'hosts',
  'lobby-deny': 'hosts',
  'room-start': 'hosts',
  'room-end': 'hosts',
  'room-settings': 'hosts',
  'recording-start': 'hosts',
  'recording-stop': 'hosts',
  'stage-set': 'staff',
  pointer: 'staff',
  'hand-raise': 'everyone',
  'hand-lower': 'hosts',
  'stage-grant': 'hosts',
  'quality-report': 'everyone',
  'chat-send': 'everyone',
  'chat-delete': 'hosts',
  'chat-mute': 'hosts',
  'question-ask': 'everyone',
  'question-vote': 'everyone',
  'question-answer': 'staff',
  'question-status': 'staff',
  'poll-create': 'staff',
  'poll-launch': 'staff',
  'poll-close': 'staff',
  'poll-share': 'staff',
  'poll-delete': 'staff',
  'poll-vote': 'everyone',
  react: 'everyone',
  'doc-sync': 'everyone',
  'doc-update': 'everyone',
  'file-link': 'everyone',
  moderate: 'hosts',
};

/** True when a participant with `role` may send messages of this rule at all. */
export function roleAllows(rule: 'everyone' | 'staff' | 'hosts', role: 'host' | 'presenter' | 'attendee'): boolean {
  if (rule === 'everyone') return true;
  if (rule === 'staff') return role === 'host' || role === 'presenter';
  return role === 'host';
}
