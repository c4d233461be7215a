/**
 * What a room's coordinator keeps in memory beside the wire shapes: who wrote what (person ids,
 * which never leave the server), who voted for what. The wire shapes (ChatMessage, Question,
 * Poll) are cut from these per audience by room-views.ts.
 */
import type {
  ChatMessage, EventStatus, EventType, JoinRole, OrgId, ParticipantInfo, Poll, Question, RoomFile, RoomSettings, StageState,
} from '@podium/protocol';

/** A chat message with the people behind it. */
export interface ChatRecord {
  message: ChatMessage;
  fromPerson: string;
  toKind: 'everyone' | 'hosts' | 'direct';
  /** The addressee of a host's private reply. */
  toPerson: string | null;
}

/** A question with its author and voters. */
export interface QuestionRecord {
  /** As staff see it (author always named). */
  question: Question;
  personId: string;
  voters: Set<string>;
}

/** A poll with every person's choice. */
export interface PollRecord {
  /** Without results or myChoice (added per viewer). */
  poll: Poll;
  votes: Map<string, number[]>;
}

/** Everything a room loads when it opens (and keeps with the event). */
export interface LoadedRoom {
  orgId: OrgId;
  type: EventType;
  status: EventStatus;
  settings: RoomSettings;
  stage: StageState;
  startedAt: string | null;
  chat: ChatRecord[];
  questions: QuestionRecord[];
  polls: PollRecord[];
  files: RoomFile[];
}

/** A participant as the coordinator knows them. */
export interface Member {
  info: ParticipantInfo;
  /** The registration or user behind the join token. */
  personId: string;
  admission: 'admitted' | 'waiting';
  /** When they arrived (the lobby shows it). */
  since: string;
  /** The open attendance row while admitted. */
  attendanceId: string | null;
}

/** The roles that run the event's content (hosts and presenters). */
export function isStaff(role: JoinRole): boolean {
  return role === 'host' || role === 'presenter';
}
