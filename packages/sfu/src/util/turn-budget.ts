/**
 * Bounds the media work one turn of this thread's event loop does.
 *
 * One incoming packet of a large event fans out to every subscriber of the thread: at 200 of them
 * that is about a millisecond of work, and a keyframe arrives as a burst of 30–50 packets, which
 * libuv hands over in one poll phase. Handled all at once, the burst holds the thread for tens of
 * milliseconds, and everything with a deadline waits behind it: transport-cc feedback to the
 * publishers (their bandwidth estimate), NACK answers, STUN consent, worker requests. So packets
 * that would cause fan-out ask `admit()` first; past `budgetMs` of one turn (or while older packets
 * still wait, to keep their order) they are handed to `defer()` and handled from setImmediate, a
 * budget at a time, with timers and other I/O served in between. Nothing is dropped unless more
 * than `maxQueued` packets wait (the thread is overloaded; the kernel would drop them otherwise).
 */

/** Something that handles a deferred packet later. */
export interface DeferredPacketTarget {
  /** Handles `packet` (owned by the callee now) as if it had just arrived from `address`:`port`. */
  onDeferredPacket(packet: Buffer, address: string, port: number): void;
}

/** Counters (worker stats, tests). */
export interface TurnBudgetStats {
  /** Packets handled later, in a following turn. */
  deferred: number;
  /** Packets dropped because maxQueued were already waiting. */
  overflowed: number;
  /** Deferred packets whose handler threw (handled as dropped). */
  failed: number;
  /** Packets waiting now. */
  queued: number;
}

/** See file comment. One per thread (`turnBudget`); tests make their own. */
export class TurnBudget {
  private turnStart = -1;
  private readonly targets: DeferredPacketTarget[] = [];
  private readonly packets: Buffer[] = [];
  private readonly addresses: string[] = [];
  private readonly ports: number[] = [];
  private head = 0;
  private draining = false;
  private readonly counters = { deferred: 0, overflowed: 0, failed: 0 };
  private readonly endTurn = (): void => {
    this.turnStart = -1;
  };
  private readonly drainNow = (): void => this.drain();

  constructor(
    private readonly budgetMs = 4,
    private readonly maxQueued = 4096,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** True: handle the packet now. False: hand it to defer() (the turn's budget is spent, or packets wait). */
  admit(): boolean {
    if (this.head < this.targets.length) return false;
    const now = this.now();
    if (this.turnStart < 0) {
      this.turnStart = now;
      setImmediate(this.endTurn);
    }
    return now - this.turnStart < this.budgetMs;
  }

  /** Queues `packet` for `target` (the budget takes ownership of the buffer). */
  defer(target: DeferredPacketTarget, packet: Buffer, address: string, port: number): void {
    if (this.targets.length - this.head >= this.maxQueued) {
      this.counters.overflowed++;
      return;
    }
    this.targets.push(target);
    this.packets.push(packet);
    this.addresses.push(address);
    this.ports.push(port);
    this.counters.deferred++;
    if (!this.draining) {
      this.draining = true;
      setImmediate(this.drainNow);
    }
  }

  get stats(): TurnBudgetStats {
    return { ...this.counters, queued: this.targets.length - this.head };
  }

  private drain(): void {
    const start = this.now();
    const { targets, packets, addresses, ports } = this;
    while (this.head < targets.length) {
      const i = this.head++;
      const target = targets[i] as DeferredPacketTarget;
      const packet = packets[i] as Buffer;
      targets[i] = undefined as unknown as DeferredPacketTarget;
      packets[i] = undefined as unknown as Buffer;
      try {
        target.onDeferredPacket(packet, addresses[i] as string, ports[i] as number);
      } catch {
        // One target's failure must not stall the others' packets.
        this.counters.failed++;
      }
      if (this.now() - start >= this.budgetMs) break;
    }
    if (this.head < targets.length) {
      setImmediate(this.drainNow);
      return;
    }
    targets.length = packets.length = addresses.length = ports.length = 0;
    this.head = 0;
    this.draining = false;
  }
}

/** This thread's budget. */
export const turnBudget = new TurnBudget();
