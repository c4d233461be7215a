/**
 * ICE-lite agent (RFC 8445 §2.5): the server never gathers or checks; it answers the remote's STUN
 * binding requests (werift's STUN message codec, verified with our password), learns the remote
 * addresses that proved they know the credentials, and sends to the one the remote nominated
 * (USE-CANDIDATE) — or to the first valid one until it does. A nomination from a new address is a
 * network change: media follows it at once. Consent (RFC 7675) is the stream of requests itself:
 * none for `consentTimeoutMs` means the peer is gone.
 *
 * ICE restart: new local credentials; the previous ones keep authenticating (media keeps flowing
 * on the old pair) until the first check with the new ones succeeds — that pair becomes the
 * selected one at once, since the remote restarted to move (e.g. a new local port).
 *
 * ICE-TCP: checks arriving on a TCP connection (tcp-ice-listener.ts) make tuples bound to that
 * connection; they are answered, and media sent, through it. UDP candidates have the higher
 * priority, so a client nominates TCP only when UDP does not get through.
 */
import { classes, Message, methods, parseMessage } from 'werift';
import { TypedEmitter } from '../util/typed-emitter';
import type { StreamConnection } from './tcp-ice-listener';

/** ICE state of a transport. */
export type IceState = 'new' | 'connected' | 'disconnected' | 'closed';

/** A remote transport address. */
export interface IceTuple {
  /** IP. */
  address: string;
  /** Port. */
  port: number;
  /** The ICE-TCP connection carrying this pair; absent for UDP. */
  via?: StreamConnection;
}

/** Events of an IceLiteAgent. */
export type IceLiteEvents = {
  /** The ICE state changed. */
  statechange: [state: IceState];
  /** Media now goes to this remote address (first selection or a network change). */
  tupleselected: [tuple: IceTuple];
};

/** Options of an IceLiteAgent. */
export interface IceLiteOptions {
  /** Our ICE username fragment. */
  ufrag: string;
  /** Our ICE password. */
  pwd: string;
  /** Sends a packet to a remote address (through `via` for ICE-TCP). */
  send: (data: Buffer, port: number, address: string, via?: StreamConnection) => void;
  /** No valid request for this long means disconnected. Default 12 s. */
  consentTimeoutMs?: number;
  /** Most remote addresses remembered as valid. Default 8. */
  maxTuples?: number;
}

/** Server-side ICE-lite agent of one transport (see file comment). */
export class IceLiteAgent extends TypedEmitter<IceLiteEvents> {
  /** Current state. */
  state: IceState = 'new';
  /** Where media goes, once known. */
  selected: IceTuple | undefined;
  private ufrag: string;
  private pwd: Buffer;
  private readonly send: (data: Buffer, port: number, address: string, via?: StreamConnection) => void;
  private readonly consentTimeoutMs: number;
  private readonly maxTuples: number;
  private readonly valid = new Map<string, IceTuple>();
  private nominated = false;
  private lastValidMs = 0;
  /** Credentials before restart(), accepted until the new ones are first used. */
  private previous: { ufrag: string; pwd: Buffer } | undefined;

  /** Creates an agent in state 'new'. */
  constructor(options: IceLiteOptions) {
    super();
    this.ufrag = options.ufrag;
    this.pwd = Buffer.from(options.pwd, 'utf8');
    this.send = options.send;
    this.consentTimeoutMs = options.consentTimeoutMs ?? 12_000;
    this.maxTuples = options.maxTuples ?? 8;
  }

  /** True when `address:port` (on `via` for ICE-TCP) passed a binding request (media from anywhere else is dropped). */
  isValid(address: string, port: number, via?: StreamConnection): boolean {
    const s = this.selected;
    if (s && s.port === port && s.address === address && s.via === via) return true;
    const t = this.valid.get(tupleKey(address, port, via));
    return t !== undefined && t.via === via;
  }

  /** An ICE-TCP connection closed: forget its pair (media stops there until a new check). */
  dropConnection(via: StreamConnection): void {
    this.valid.delete(tupleKey(via.address, via.port, via));
    if (this.selected?.via === via) {
      this.selected = undefined;
      this.nominated = false;
    }
  }

  /** Handles a STUN packet from `address:port` (on `via` for ICE-TCP). Never throws. */
  handleStun(data: Buffer, address: string, port: number, nowMs: number, via?: StreamConnection): void {
    if (this.state === 'closed') return;
    let msg: Message | undefined;
    let pwd = this.pwd;
    let fresh = true;
    try {
      const unverified = parseMessage(data);
      if (!unverified || unverified.messageMethod !== methods.BINDING || unverified.messageClass !== classes.REQUEST) return;
      const username = unverified.getAttributeValue('USERNAME');
      if (typeof username !== 'string') return;
      if (!username.startsWith(`${this.ufrag}:`)) {
        const prev = this.previous;
        if (!prev || !username.startsWith(`${prev.ufrag}:`)) return;
        pwd = prev.pwd;
        fresh = false;
      }
      msg = parseMessage(data, pwd);
    } catch {
      return;
    }
    if (!msg) return;
    if (msg.attributesKeys.includes('ICE-CONTROLLED')) {
      // Both sides think they are controlled: the lite side never takes control (RFC 8445 §6.1.3.1).
      this.reply(new Message(methods.BINDING, classes.ERROR, msg.transactionId).setAttribute('ERROR-CODE', [487, 'Role Conflict']), pwd, port, address, via);
      return;
    }
    this.reply(new Message(methods.BINDING, classes.RESPONSE, msg.transactionId).setAttribute('XOR-MAPPED-ADDRESS', [address, port]), pwd, port, address, via);
    this.lastValidMs = nowMs;
    // The first check with the new credentials completes the restart: the old ones retire and
    // this pair carries media from now on (the remote moved, or at least re-proved its path).
    const restartDone = fresh && this.previous !== undefined;
    if (restartDone) this.previous = undefined;
    const key = tupleKey(address, port, via);
    let tuple = this.valid.get(key);
    if (!tuple) {
      if (this.valid.size >= this.maxTuples) {
        const oldest = this.valid.keys().next().value;
        if (oldest !== undefined) this.valid.delete(oldest);
      }
      tuple = via ? { address, port, via } : { address, port };
      this.valid.set(key, tuple);
    }
    const useCandidate = msg.attributesKeys.includes('USE-CANDIDATE');
    if (!this.selected || restartDone || (fresh && useCandidate && (this.selected !== tuple || !this.nominated))) {
      if (useCandidate) this.nominated = true;
      if (this.selected !== tuple) {
        this.selected = tuple;
        this.emit('tupleselected', tuple);
      }
    }
    if (this.state !== 'connected') this.setState('connected');
  }

  /** Periodic check of consent freshness. */
  tick(nowMs: number): void {
    if (this.state === 'connected' && nowMs - this.lastValidMs > this.consentTimeoutMs) this.setState('disconnected');
  }

  /** New local credentials (ICE restart); the current ones stay valid until the new ones are used. */
  restart(ufrag: string, pwd: string): void {
    // Restarting twice before the remote used the first new set: the working (oldest) set stays.
    if (!this.previous) this.previous = { ufrag: this.ufrag, pwd: this.pwd };
    this.ufrag = ufrag;
    this.pwd = Buffer.from(pwd, 'utf8');
    this.nominated = false;
  }

  /** Stops answering. */
  close(): void {
    if (this.state === 'closed') return;
    this.valid.clear();
    this.selected = undefined;
    this.setState('closed');
  }

  private reply(message: Message, pwd: Buffer, port: number, address: string, via?: StreamConnection): void {
    this.send(message.addMessageIntegrity(pwd).addFingerprint().bytes, port, address, via);
  }

  private setState(state: IceState): void {
    this.state = state;
    this.emit('statechange', state);
  }
}

function tupleKey(address: string, port: number, via: StreamConnection | undefined): string {
  return via ? `tcp|${address}|${port}` : `${address}|${port}`;
}
