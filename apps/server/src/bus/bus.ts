/**
 * The Bus seam (DESIGN.md §1, §3a): pub/sub plus request/reply between the parts of the control
 * plane. In-process by default (LocalBus); NATS in the cluster. Messages are plain JSON values so
 * either implementation carries them unchanged, and subjects are dot-separated tokens
 * (`room.<eventId>.events`) where a subscription may use `*` for one token and a final `>` for
 * the rest, as in NATS.
 */

/** Stops a subscription or a responder; calling it twice is harmless. */
export type Unsubscribe = () => void;

/** Receives the messages of a subscription. Must not throw; must not mutate `msg` (it is shared). */
export type BusHandler<M = unknown> = (msg: M, subject: string) => void;

/** Answers requests on a subject; its result (plain JSON) is the reply. */
export type BusResponder<Q = unknown, R = unknown> = (msg: Q, subject: string) => R | Promise<R>;

/** Options of a request. */
export interface RequestOptions {
  /** How long to wait for the reply (ms). */
  timeoutMs?: number;
}

/** Counts of what a bus holds, so tests and health checks can see leaks. */
export interface BusStats {
  subscriptions: number;
  responders: number;
  pendingRequests: number;
}

/** Why a request failed: nobody serves the subject, no reply in time, the responder failed, or the bus closed. */
export class BusRequestError extends Error {
  constructor(readonly reason: 'no-responders' | 'timeout' | 'responder-failed' | 'closed', subject: string) {
    super(`bus request on ${subject} failed: ${reason}`);
    this.name = 'BusRequestError';
  }
}

/** Pub/sub and request/reply over subjects. */
export interface Bus {
  /** Delivers `msg` to every subscription matching `subject`, in publish order, never synchronously. */
  publish(subject: string, msg: unknown): void;
  /** Receives messages published on subjects matching `pattern`. */
  subscribe<M = unknown>(pattern: string, handler: BusHandler<M>): Unsubscribe;
  /** Sends `msg` to one responder of `subject` and resolves with its reply. */
  request<R = unknown>(subject: string, msg: unknown, opts?: RequestOptions): Promise<R>;
  /** Serves requests on subjects matching `pattern` (one responder answers each request). */
  serve<Q = unknown, R = unknown>(pattern: string, responder: BusResponder<Q, R>): Unsubscribe;
  /** Current counts. */
  stats(): BusStats;
  /** Drops every subscription and responder and fails pending requests. */
  close(): Promise<void>;
}

/** True when `subject` matches `pattern` (`*` = one token, trailing `>` = one or more tokens). */
export function subjectMatches(pattern: string, subject: string): boolean {
  if (pattern === subject) return true;
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return i === p.length - 1 && s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}

/** True when a subject or pattern is well formed: non-empty tokens of visible characters, no spaces. */
export function isValidSubject(subject: string, allowWildcards: boolean): boolean {
  if (subject.length === 0 || subject.length > 256) return false;
  const tokens = subject.split('.');
  return tokens.every((t, i) => {
    if (t.length === 0 || /\s/.test(t)) return false;
    if (t === '*' || t === '>') return allowWildcards && (t === '*' || i === tokens.length - 1);
    return !t.includes('*') && !t.includes('>');
  });
}
