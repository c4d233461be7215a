/**
 * The live room's state as participants see it (issue "The live room"): settings, hands, lobby,
 * chat, Q&A, polls, stage, files. The room's coordinator owns it; a newcomer gets it in its join
 * snapshot (`RoomSnapshot.state`) and later changes as room events (room-events.ts). Where what a
 * participant may see depends on who they are (private chat, anonymous questions, poll results),
 * the coordinator sends each audience its own copy.
 */
import { Type, type Static } from '@sinclair/typebox';
import { IdSchema } from '../ids';
import { EventStatus } from '../api/events';
import { JoinRole } from '../api/registrations';
import { IsoTime, ParticipantIdSchema } from './common';
export { StageGrant, ConnectionQuality } from './common';

/** The emoji reactions a participant may send (a small, fixed set: the UI and the server agree on it). */
export const REACTIONS = ['👍', '👏', '❤️', '😂', '😮', '🎉'] as const;
/** One reaction emoji. */
export type Reaction = (typeof REACTIONS)[number];
/** One reaction emoji. */
export const ReactionSchema = Type.Union(REACTIONS.map((r) => Type.Literal(r)));

/** Stage layouts: slides or screen large with speakers beside, everyone in a grid, or the active speaker alone. */
export const StageLayout = Type.Union([Type.Literal('presentation'), Type.Literal('gallery'), Type.Literal('speaker')]);
/** A stage layout. */
export type StageLayout = Static<typeof StageLayout>;

/** How the room runs; hosts change it with `room-settings`, and it is kept with the event. */
export const RoomSettings = Type.Object({
  /** Public chat open to everyone (hosts may always write). */
  chatEnabled: Type.Boolean(),
  /** Attendees may write privately to the hosts. */
  privateChatEnabled: Type.Boolean(),
  /** Attendees may ask questions. */
  qaEnabled: Type.Boolean(),
  /** Emoji reactions are shown. */
  reactionsEnabled: Type.Boolean(),
  /** Attendees wait in the lobby until a host admits them (otherwise they enter as soon as the event is live). */
  waitingRoom: Type.Boolean(),
  /** Newcomers (other than hosts and presenters) are refused with ROOM_LOCKED. */
  locked: Type.Boolean(),
  /** Attendees may edit the shared notes (hosts and presenters always may). */
  notesEditableByAttendees: Type.Boolean(),
  /** The layout everyone starts with (each viewer may switch their own). */
  layout: StageLayout,
  /** Most cameras at once in a meeting. */
  maxCameras: Type.Integer({ minimum: 1, maximum: 100 }),
  /** Recording starts by itself when the event goes live (hosts may still stop it). */
  autoRecord: Type.Boolean(),
});
/** How the room runs. */
export type RoomSettings = Static<typeof RoomSettings>;

/** The settings of a new room. */
export const DEFAULT_ROOM_SETTINGS: RoomSettings = {
  chatEnabled: true,
  privateChatEnabled: true,
  qaEnabled: true,
  reactionsEnabled: true,
  waitingRoom: false,
  locked: false,
  notesEditableByAttendees: false,
  layout: 'presentation',
  maxCameras: 25,
  autoRecord: false,
};

/** A raised hand, in the queue hosts work through in arrival order. */
export const HandEntry = Type.Object({ participantId: ParticipantIdSchema, raisedAt: IsoTime });
/** A raised hand. */
export type HandEntry = Static<typeof HandEntry>;

/** Someone waiting in the lobby to be admitted (hosts see the list). */
export const WaitingEntry = Type.Object({
  participantId: ParticipantIdSchema,
  displayName: Type.String({ maxLength: 200 }),
  role: JoinRole,
  since: IsoTime,
});
/** Someone waiting in the lobby. */
export type WaitingEntry = Static<typeof WaitingEntry>;

/** Whether the participant is in the room or still waits in the lobby. */
export const Admission = Type.Union([Type.Literal('admitted'), Type.Literal('waiting')]);
/** Whether the participant is in the room or waits in the lobby. */
export type Admission = Static<typeof Admission>;

// ---- chat -----------------------------------------------------------------------------------

/** Longest chat message, question or answer (characters). */
export const MAX_CHAT_TEXT = 2_000;
/** Chat messages a newcomer receives with its snapshot (the most recent ones). */
export const CHAT_HISTORY_LIMIT = 200;

/** Who wrote a chat message, question or answer, as shown next to it. */
export const RoomAuthor = Type.Object({
  participantId: Type.Optional(ParticipantIdSchema),
  displayName: Type.String({ maxLength: 200 }),
  role: JoinRole,
});
/** Who wrote something in the room. */
export type RoomAuthor = Static<typeof RoomAuthor>;

/** Whom a chat message is for: everyone, the hosts (privately), or one participant (a host's private reply). */
export const ChatRecipient = Type.Union([
  Type.Literal('everyone'),
  Type.Literal('hosts'),
  Type.Object({ participantId: Type.Optional(ParticipantIdSchema), displayName: Type.String({ maxLength: 200 }) }),
]);
/** Whom a chat message is for. */
export type ChatRecipient = Static<typeof ChatRecipient>;

/** One chat message (plain text: clients render links themselves, never HTML). */
export const ChatMessage = Type.Object({
  id: IdSchema('chatMessage'),
  from: RoomAuthor,
  to: ChatRecipient,
  text: Type.String({ maxLength: MAX_CHAT_TEXT }),
  sentAt: IsoTime,
});
/** One chat message. */
export type ChatMessage = Static<typeof ChatMessage>;

// ---- Q&A ------------------------------------------------------------------------------------

/** A question's state: open, answered in text, answered live (spoken), or dismissed by a host. */
export const QuestionStatus = Type.Union([Type.Literal('open'), Type.Literal('answered'), Type.Literal('answered-live'), Type.Literal('dismissed')]);
/** A question's state. */
export type QuestionStatus = Static<typeof QuestionStatus>;

/** A question of the Q&A. `author` is null for attendees when it was asked anonymously (hosts still see it). */
export const Question = Type.Object({
  id: IdSchema('question'),
  text: Type.String({ maxLength: MAX_CHAT_TEXT }),
  anonymous: Type.Boolean(),
  author: Type.Union([RoomAuthor, Type.Null()]),
  askedAt: IsoTime,
  votes: Type.Integer({ minimum: 0 }),
  status: QuestionStatus,
  answer: Type.Optional(Type.Object({ text: Type.String({ maxLength: MAX_CHAT_TEXT }), by: Type.String({ maxLength: 200 }), at: IsoTime })),
  /** In snapshots: the viewer asked it. (In events, clients remember the ids they asked.) */
  mine: Type.Optional(Type.Boolean()),
  /** In snapshots: the viewer upvoted it. */
  voted: Type.Optional(Type.Boolean()),
});
/** A question of the Q&A. */
export type Question = Static<typeof Question>;

// ---- polls ----------------------------------------------------------------------------------

/** A poll's state: prepared, open for votes, closed. */
export const PollStatus = Type.Union([Type.Literal('draft'), Type.Literal('live'), Type.Literal('closed')]);
/** A poll's state. */
export type PollStatus = Static<typeof PollStatus>;

/** Most options of one poll. */
export const MAX_POLL_OPTIONS = 10;

/** What hosts prepare: a question with 2–10 options, single or multiple choice. */
export const PollDraft = Type.Object({
  question: Type.String({ minLength: 1, maxLength: 500 }),
  options: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 2, maxItems: MAX_POLL_OPTIONS }),
  multiple: Type.Boolean(),
});
/** What hosts prepare for a poll. */
export type PollDraft = Static<typeof PollDraft>;

/** Vote counts per option (index = option) and the number of people who voted. */
export const PollResults = Type.Object({
  counts: Type.Array(Type.Integer({ minimum: 0 }), { maxItems: MAX_POLL_OPTIONS }),
  voters: Type.Integer({ minimum: 0 }),
});
/** Vote counts per option and the number of voters. */
export type PollResults = Static<typeof PollResults>;

/** A poll. Attendees see drafts never, and `results` only once a host shares them. */
export const Poll = Type.Object({
  id: IdSchema('poll'),
  question: Type.String({ maxLength: 500 }),
  options: Type.Array(Type.String({ maxLength: 200 }), { maxItems: MAX_POLL_OPTIONS }),
  multiple: Type.Boolean(),
  status: PollStatus,
  /** Results are shown to everyone (hosts always see them). */
  resultsShared: Type.Boolean(),
  createdAt: IsoTime,
  launchedAt: Type.Optional(IsoTime),
  closedAt: Type.Optional(IsoTime),
  results: Type.Optional(PollResults),
  /** In snapshots: the options the viewer chose (absent when they have not voted). */
  myChoice: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: MAX_POLL_OPTIONS - 1 }), { maxItems: MAX_POLL_OPTIONS })),
});
/** A poll. */
export type Poll = Static<typeof Poll>;

// ---- stage, files ---------------------------------------------------------------------------

/** A file attached to the event (slides or a handout), as the room lists it. */
export const RoomFile = Type.Object({
  id: IdSchema('file'),
  name: Type.String({ maxLength: 255 }),
  contentType: Type.String({ maxLength: 100 }),
  size: Type.Integer({ minimum: 0 }),
  /** Slides can be shown on stage; handouts are for download. */
  purpose: Type.Union([Type.Literal('slides'), Type.Literal('handout')]),
  /** Pages of a PDF (1 for an image). */
  pageCount: Type.Optional(Type.Integer({ minimum: 1 })),
  uploadedAt: IsoTime,
});
/** A file attached to the event. */
export type RoomFile = Static<typeof RoomFile>;

/** What the stage's main area shows (a screen share, while there is one, is shown in front of it). */
export const StageContent = Type.Union([Type.Literal('none'), Type.Literal('slides'), Type.Literal('whiteboard')]);
/** What the stage's main area shows. */
export type StageContent = Static<typeof StageContent>;

/** The stage: what is shown, and which slide page everyone follows. */
export const StageState = Type.Object({
  content: StageContent,
  /** The deck on stage and its page (1-based), kept while the whiteboard is shown. */
  slides: Type.Union([
    Type.Object({ fileId: IdSchema('file'), name: Type.String({ maxLength: 255 }), page: Type.Integer({ minimum: 1 }), pageCount: Type.Integer({ minimum: 1 }) }),
    Type.Null(),
  ]),
  /** The whiteboard page shown (1-based). */
  whiteboardPage: Type.Integer({ minimum: 1 }),
});
/** The stage. */
export type StageState = Static<typeof StageState>;

/** The stage of a new room. */
export const DEFAULT_STAGE: StageState = { content: 'none', slides: null, whiteboardPage: 1 };

/** Collaborative documents of a room (Yjs): the whiteboard with the annotations of every slide page, and the shared notes. */
export const RoomDocName = Type.Union([Type.Literal('board'), Type.Literal('notes')]);
/** A collaborative document of a room. */
export type RoomDocName = Static<typeof RoomDocName>;

// ---- the room as a whole --------------------------------------------------------------------

/** Whether the room is being recorded: every participant is shown this (the "REC" indicator). */
export const RecordingIndicator = Type.Object({
  active: Type.Boolean(),
  /** When the current recording started (absent when not recording). */
  startedAt: Type.Optional(IsoTime),
});
/** Whether the room is being recorded. */
export type RecordingIndicator = Static<typeof RecordingIndicator>;

/** Everything about the room beyond presence and tracks, as one participant may see it. */
export const RoomState = Type.Object({
  status: EventStatus,
  /** When the host started the event. */
  startedAt: Type.Optional(IsoTime),
  settings: RoomSettings,
  /** Raised hands in arrival order. */
  hands: Type.Array(HandEntry),
  /** The lobby (hosts only; empty for everyone else). */
  waiting: Type.Array(WaitingEntry),
  /** The most recent chat messages this participant may read, oldest first. */
  chat: Type.Array(ChatMessage),
  /** Questions this participant may see, in asking order. */
  questions: Type.Array(Question),
  /** Polls this participant may see, in creation order. */
  polls: Type.Array(Poll),
  stage: StageState,
  files: Type.Array(RoomFile),
  /** Who is speaking now (from the media plane's audio levels). */
  activeSpeaker: Type.Optional(Type.Union([ParticipantIdSchema, Type.Null()])),
  /**
   * Attendees in the room. In a webinar or training, attendees are not listed to each other (only
   * staff, speakers on stage and oneself are in `participants`): this is how many there are.
   */
  attendeeCount: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Whether the room is being recorded now (absent: not recording). */
  recording: Type.Optional(RecordingIndicator),
});
/** Everything about the room beyond presence and tracks. */
export type RoomState = Static<typeof RoomState>;

/** The state of an empty room: no hands, chat, questions, polls or files. */
export function emptyRoomState(status: RoomState['status'], settings: RoomSettings = DEFAULT_ROOM_SETTINGS): RoomState {
  return { status, settings: { ...settings }, hands: [], waiting: [], chat: [], questions: [], polls: [], stage: { ...DEFAULT_STAGE }, files: [] };
}
