/**
 * Server → client messages of the live room: replies to room requests (chat-sent, question-asked,
 * poll-created, doc-state, file-link) and the room events every admitted participant (or the
 * audience an event is meant for) receives as the room changes.
 */
import { Type, type Static } from '@sinclair/typebox';
import { IdSchema } from '../ids';
import { EventStatus } from '../api/events';
import { IsoTime, ParticipantIdSchema, ParticipantInfo, RequestId } from './common';
import { RoomSnapshot } from './snapshot';
import { ModerationAction } from './room-messages';
import {
  ChatMessage, HandEntry, Poll, Question, ReactionSchema, RoomDocName, RoomFile, RoomSettings, StageState, WaitingEntry,
} from './room-state';

/** A Yjs update, base64-encoded (server → client: no size cap beyond the document's). */
const Base64Out = Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$' });

// ---- replies ----------------------------------------------------------------------------------

/** Reply to chat-send: the message as stored and sent to its recipients. */
export const ChatSentMessage = Type.Object({ type: Type.Literal('chat-sent'), requestId: RequestId, message: ChatMessage });
/** Reply to question-ask: the question as stored. */
export const QuestionAskedMessage = Type.Object({ type: Type.Literal('question-asked'), requestId: RequestId, question: Question });
/** Reply to poll-create: the new poll. */
export const PollCreatedMessage = Type.Object({ type: Type.Literal('poll-created'), requestId: RequestId, poll: Poll });
/**
 * Reply to doc-sync: what the document holds beyond the client's state vector, and the server's
 * state vector, so the client can send what only it has (edits made while disconnected).
 */
export const DocStateMessage = Type.Object({
  type: Type.Literal('doc-state'),
  requestId: RequestId,
  doc: RoomDocName,
  update: Base64Out,
  stateVector: Base64Out,
});
/** Reply to file-link: a signed download URL (supports Range) that expires. */
export const FileLinkReplyMessage = Type.Object({
  type: Type.Literal('file-link'),
  requestId: RequestId,
  fileId: IdSchema('file'),
  url: Type.String({ maxLength: 2048 }),
  expiresAt: IsoTime,
});

// ---- room events ------------------------------------------------------------------------------

/** A participant's room state changed (stage grant, chat mute, connection quality). */
export const ParticipantUpdatedMessage = Type.Object({ type: Type.Literal('participant-updated'), participant: ParticipantInfo });
/** The event started or ended (the lobby sees it too). */
export const RoomStatusMessage = Type.Object({
  type: Type.Literal('room-status'),
  status: EventStatus,
  startedAt: Type.Optional(IsoTime),
});
/** Recording started or stopped (everyone sees it, the lobby too). */
export const RecordingEventMessage = Type.Object({
  type: Type.Literal('recording'),
  active: Type.Boolean(),
  startedAt: Type.Optional(IsoTime),
});
/** The room's settings changed. */
export const SettingsMessage = Type.Object({ type: Type.Literal('settings'), settings: RoomSettings });
/** The raised hands, in arrival order (the whole list each time). */
export const HandsMessage = Type.Object({ type: Type.Literal('hands'), hands: Type.Array(HandEntry) });
/** Hosts: who waits in the lobby (the whole list each time). */
export const LobbyMessage = Type.Object({ type: Type.Literal('lobby'), waiting: Type.Array(WaitingEntry) });
/** To a waiting participant: a host let them in; the room as it is now. */
export const AdmittedMessage = Type.Object({ type: Type.Literal('admitted'), room: RoomSnapshot });

/** Why the server takes a participant out of the room. */
export const RemovalReason = Type.Union([
  Type.Literal('removed'),
  Type.Literal('banned'),
  /** A host refused them in the lobby. */
  Type.Literal('denied'),
  /** The event ended. */
  Type.Literal('ended'),
]);
/** Why the server takes a participant out of the room. */
export type RemovalReason = Static<typeof RemovalReason>;
/** To the participant concerned: they are out of the room; the server closes the connection next. */
export const RemovedMessage = Type.Object({ type: Type.Literal('removed'), reason: RemovalReason });
/** To a participant a host moderated (their microphone muted, camera or screen stopped). */
export const ModeratedMessage = Type.Object({ type: Type.Literal('moderated'), action: ModerationAction, by: Type.String({ maxLength: 200 }) });

/** A chat message for this participant. */
export const ChatEventMessage = Type.Object({ type: Type.Literal('chat'), message: ChatMessage });
/** A host deleted a chat message. */
export const ChatDeletedMessage = Type.Object({ type: Type.Literal('chat-deleted'), messageId: IdSchema('chatMessage') });
/** A question was asked or changed (votes, answer, status), as this participant may see it. */
export const QuestionEventMessage = Type.Object({ type: Type.Literal('question'), question: Question });
/** A poll was created, launched, voted in, shared or closed, as this participant may see it. */
export const PollEventMessage = Type.Object({ type: Type.Literal('poll'), poll: Poll });
/** A poll was deleted. */
export const PollRemovedMessage = Type.Object({ type: Type.Literal('poll-removed'), pollId: IdSchema('poll') });
/** Reactions sent in the last moment, counted per emoji. */
export const ReactionsMessage = Type.Object({
  type: Type.Literal('reactions'),
  counts: Type.Array(Type.Object({ emoji: ReactionSchema, count: Type.Integer({ minimum: 1 }) }), { maxItems: 16 }),
});
/** The stage changed (content, deck, page). */
export const StageMessage = Type.Object({ type: Type.Literal('stage'), stage: StageState });
/** The laser pointer moved. */
export const PointerEventMessage = Type.Object({
  type: Type.Literal('pointer'),
  participantId: ParticipantIdSchema,
  x: Type.Number({ minimum: 0, maximum: 1 }),
  y: Type.Number({ minimum: 0, maximum: 1 }),
  visible: Type.Boolean(),
});
/** Someone changed a document (apply the Yjs update). */
export const DocUpdateEventMessage = Type.Object({ type: Type.Literal('doc-update'), doc: RoomDocName, update: Base64Out });
/** The event's files changed (the whole list). */
export const FilesMessage = Type.Object({ type: Type.Literal('files'), files: Type.Array(RoomFile) });
/** How many attendees are in the room now (sent at most once a second, when it changed). */
export const AttendeeCountMessage = Type.Object({ type: Type.Literal('attendee-count'), count: Type.Integer({ minimum: 0 }) });
/** The active speaker changed. */
export const ActiveSpeakerMessage = Type.Object({ type: Type.Literal('active-speaker'), participantId: Type.Union([ParticipantIdSchema, Type.Null()]) });

/** Every room message from the server, by type. */
export const ROOM_SERVER_SCHEMAS = {
  'chat-sent': ChatSentMessage,
  'question-asked': QuestionAskedMessage,
  'poll-created': PollCreatedMessage,
  'doc-state': DocStateMessage,
  'file-link': FileLinkReplyMessage,
  'participant-updated': ParticipantUpdatedMessage,
  'room-status': RoomStatusMessage,
  recording: RecordingEventMessage,
  settings: SettingsMessage,
  hands: HandsMessage,
  lobby: LobbyMessage,
  admitted: AdmittedMessage,
  removed: RemovedMessage,
  moderated: ModeratedMessage,
  chat: ChatEventMessage,
  'chat-deleted': ChatDeletedMessage,
  question: QuestionEventMessage,
  poll: PollEventMessage,
  'poll-removed': PollRemovedMessage,
  reactions: ReactionsMessage,
  stage: StageMessage,
  pointer: PointerEventMessage,
  'doc-update': DocUpdateEventMessage,
  files: FilesMessage,
  'active-speaker': ActiveSpeakerMessage,
  'attendee-count': AttendeeCountMessage,
} as const;

/** The `type` of a room message from the server. */
export type RoomServerMessageType = keyof typeof ROOM_SERVER_SCHEMAS;
/** A room message from the server. */
export type RoomServerMessage = Static<(typeof ROOM_SERVER_SCHEMAS)[RoomServerMessageType]>;
/** Room events (pushed, not replies): what a room's coordinator publishes on its events subject. */
export type RoomEventMessage = Exclude<RoomServerMessage, { requestId: string }>;
