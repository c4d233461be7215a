import {
  BusRequestError, isValidSubject, subjectMatches,
  type Bus, type BusHandler, type BusResponder, type BusStats, type RequestOptions, type Unsubscribe,
} from './bus';

interface Entry<F> {
  pattern: string;
  fn: F;
  active: boolean;
}

/** Options of the in-process bus. */
export interface LocalBusOptions {
  /** Default request timeout (ms). */
  requestTimeoutMs?: number;
  /** Called when a subscriber throws (it must not): the bus keeps delivering to the others. */
  onHandlerError?: (err: unknown, subject: string) => void;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * The in-process Bus of the embedded default. Delivery is asynchronous (a microtask) and in
 * publish order, like a network bus, so code written against it behaves the same on NATS: no
 * handler runs inside `publish()`, and a handler may publish without re-entering itself.
 * Messages are passed by reference (one object for all subscribers): handlers must not mutate them.
 */
export class LocalBus implements Bus {
  // Exact subjects are looked up in a Map; wildcard patterns are few (one per kind of actor) and scanned.
  private readonly exact = new Map<string, Set<Entry<BusHandler>>>();
  private readonly wildcard = new Set<Entry<BusHandler>>();
  private readonly responders: Entry<BusResponder>[] = [];
  private readonly pending = new Set<{ fail(reason: 'closed'): void }>();
  private closed = false;

  constructor(private readonly opts: LocalBusOptions = {}) {}

  publish(subject: string, msg: unknown): void {
    if (this.closed) return;
    if (!isValidSubject(subject, false)) throw new Error(`invalid bus subject: ${subject}`);
    // Snapshot the receivers now: a subscription made after publish does not see the message.
    const targets: Entry<BusHandler>[] = [];
    const set = this.exact.get(subject);
    if (set) for (const e of set) targets.push(e);
    for (const e of this.wildcard) if (subjectMatches(e.pattern, subject)) targets.push(e);
    if (!targets.length) return;
    queueMicrotask(() => {
      for (const e of targets) {
        if (!e.active) continue;
        try {
          e.fn(msg, subject);
        } catch (err) {
          this.opts.onHandlerError?.(err, subject);
        }
      }
    });
  }

  subscribe<M = unknown>(pattern: string, handler: BusHandler<M>): Unsubscribe {
    if (this.closed) throw new Error('bus closed');
    if (!isValidSubject(pattern, true)) throw new Error(`invalid bus subject: ${pattern}`);
    const entry: Entry<BusHandler> = { pattern, fn: handler as BusHandler, active: true };
    const isWild = pattern.includes('*') || pattern.includes('>');
    if (isWild) this.wildcard.add(entry);
    else {
      let set = this.exact.get(pattern);
      if (!set) this.exact.set(pattern, (set = new Set()));
      set.add(entry);
    }
    return () => {
      if (!entry.active) return;
      entry.active = false;
      if (isWild) this.wildcard.delete(entry);
      else {
        const set = this.exact.get(pattern);
        set?.delete(entry);
        if (set && set.size === 0) this.exact.delete(pattern);
      }
    };
  }

  request<R = unknown>(subject: string, msg: unknown, opts: RequestOptions = {}): Promise<R> {
    if (this.closed) return Promise.reject(new BusRequestError('closed', subject));
    if (!isValidSubject(subject, false)) return Promise.reject(new Error(`invalid bus subject: ${subject}`));
    const responder = this.responders.find((r) => r.active && subjectMatches(r.pattern, subject));
    if (!responder) return Promise.reject(new BusRequestError('no-responders', subject));
    return new Promise<R>((resolve, reject) => {
      let done = false;
      const finish = (): boolean => {
        if (done) return false;
        done = true;
        clearTimeout(timer);
        this.pending.delete(handle);
        return true;
      };
      const handle = { fail: (reason: 'closed') => finish() && reject(new BusRequestError(reason, subject)) };
      const timer = setTimeout(() => finish() && reject(new BusRequestError('timeout', subject)), opts.timeoutMs ?? this.opts.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS);
      this.pending.add(handle);
      queueMicrotask(() => {
        if (done) return;
        Promise.resolve()
          .then(() => responder.fn(msg, subject))
          .then(
            (reply) => finish() && resolve(reply as R),
            () => finish() && reject(new BusRequestError('responder-failed', subject)),
          );
      });
    });
  }

  serve<Q = unknown, R = unknown>(pattern: string, responder: BusResponder<Q, R>): Unsubscribe {
    if (this.closed) throw new Error('bus closed');
    if (!isValidSubject(pattern, true)) throw new Error(`invalid bus subject: ${pattern}`);
    const entry: Entry<BusResponder> = { pattern, fn: responder as BusResponder, active: true };
    this.responders.push(entry);
    return () => {
      if (!entry.active) return;
      entry.active = false;
      const i = this.responders.indexOf(entry);
      if (i >= 0) this.responders.splice(i, 1);
    };
  }

  stats(): BusStats {
    let subscriptions = this.wildcard.size;
    for (const set of this.exact.values()) subscriptions += set.size;
    return { subscriptions, responders: this.responders.length, pendingRequests: this.pending.size };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const set of this.exact.values()) for (const e of set) e.active = false;
    for (const e of this.wildcard) e.active = false;
    for (const r of this.responders) r.active = false;
    this.exact.clear();
    this.wildcard.clear();
    this.responders.length = 0;
    for (const p of [...this.pending]) p.fail('closed');
  }
}
