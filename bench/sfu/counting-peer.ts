/**
 * A cheap benchmark subscriber: one UDP socket, a few lines of ICE (binding requests towards the
 * server, answers to the server's checks when it runs full ICE), our DtlsSession as DTLS client,
 * and then it COUNTS media datagrams. RTP headers travel in clear under SRTP, so SSRC and sequence
 * number are read from every datagram without decrypting; 1 in `verifyEvery` packets is decrypted
 * to prove the stream is real SRTP from the negotiated keys.
 *
 * Once connected, a peer can hand its socket to a PolledReceiver (polled-receiver.ts): node:dgram
 * stops reading it, and the bot process reads all its peers' sockets in one native call per tick
 * instead of waking for every datagram.
 */
import dgram, { type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { classes, Message, methods, parseMessage } from 'werift';
import { DtlsSession, SrtpSession } from '@podium/sfu';
import { localFingerprint } from '../../packages/sfu/src/transport/dtls-certificate';
import { type OfferInfo, readOffer, writeAnswer } from '../../packages/sfu/src/testing/offer-answer';
import { socketFd, stopEventReading } from '../../packages/sfu/src/transport/udp-handle';

/** Sequence-number bookkeeping of one received SSRC. */
interface SeqState {
  first: number;
  max: number;
  received: number;
  /** 0: not yet verified, 1: verifying, -1: first chance came after a wrap (ROC unknown to a sparse verifier). */
  verify: number;
}

/** Counters a peer reports. */
export interface PeerCounters {
  /** Datagrams that looked like SRTP media. */
  packets: number;
  /** Packets expected from sequence numbers (max − first + 1, summed over SSRCs). */
  expected: number;
  /** Distinct-ish packets received on those SSRCs (duplicates count). */
  received: number;
  /** Sampled packets that decrypted and authenticated. */
  verified: number;
  /** Sampled packets that failed SRTP authentication. */
  verifyFailed: number;
}

/** One counting subscriber (see file comment). */
export class CountingPeer {
  /** ms from start() to the first video packet, or -1. */
  firstVideoMs = -1;
  /** Counters. */
  readonly counters: PeerCounters = { packets: 0, expected: 0, received: 0, verified: 0, verifyFailed: 0 };
  private readonly ufrag = randomBytes(4).toString('hex');
  private readonly pwd = randomBytes(16).toString('hex');
  private readonly seqs = new Map<number, SeqState>();
  private offer: OfferInfo | undefined;
  private srtpIn: SrtpSession | undefined;
  private readonly dtls: DtlsSession;
  private iceOk = false;
  private startedAt = 0;
  private checkTimer: NodeJS.Timeout | undefined;
  private videoSsrcs = new Set<number>();
  private sample = 0;
  private closed = false;
  private sawHelloVerify = false;

  private constructor(
    private readonly socket: Socket,
    readonly port: number,
    private readonly verifyEvery: number,
  ) {
    this.dtls = new DtlsSession((data) => this.send(data));
    this.dtls.on('keys', (k) => {
      this.srtpIn = new SrtpSession(k.profile, k.remoteKey, k.remoteSalt);
    });
    socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo.address, rinfo.port));
    socket.on('error', () => {});
  }

  /** Binds a socket on 127.0.0.1. */
  static async create(verifyEvery = 50): Promise<CountingPeer> {
    const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 1 << 20 });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => resolve());
    });
    return new CountingPeer(socket, socket.address().port, verifyEvery);
  }

  /** Answers the server's offer; connectivity starts at once. */
  async answer(offerSdp: string): Promise<string> {
    this.offer = readOffer(offerSdp);
    for (const s of this.offer.ssrcs.video) this.videoSsrcs.add(s);
    const fp = await localFingerprint();
    this.startedAt = performance.now();
    this.dtls.setRemoteFingerprint(fingerprintOf(offerSdp));
    this.checkTimer = setInterval(() => this.check(), 50);
    this.checkTimer.unref();
    this.check();
    return writeAnswer(offerSdp, { ufrag: this.ufrag, pwd: this.pwd, fingerprint: `${fp.algorithm} ${fp.value}`, port: this.port });
  }

  /** Where the peer is in its setup, for diagnosing join failures. */
  get phase(): string {
    return this.srtpIn ? (this.firstVideoMs >= 0 ? 'receiving' : 'connected') : this.iceOk ? `dtls-${this.dtls.state}` : 'ice';
  }

  /** True once DTLS gave keys. */
  get connected(): boolean {
    return this.srtpIn !== undefined;
  }

  /** Recomputes `expected`/`received` from the per-SSRC state. */
  snapshot(): PeerCounters {
    let expected = 0;
    let received = 0;
    for (const s of this.seqs.values()) {
      expected += s.max - s.first + 1;
      received += s.received;
    }
    this.counters.expected = expected;
    this.counters.received = received;
    return { ...this.counters };
  }

  /** The socket's descriptor, or -1. */
  get fd(): number {
    return socketFd(this.socket);
  }

  /** Stops event-driven reading of the socket (a PolledReceiver reads it from now on). */
  stopEventReading(): boolean {
    return stopEventReading(this.socket);
  }

  /** A datagram read by a PolledReceiver: `buf[offset..offset+length)` (valid during the call only). */
  onPolled(buf: Buffer, offset: number, length: number): void {
    const b = buf[offset] as number;
    if (b >= 128 && b <= 191) {
      const pt = (buf[offset + 1] as number) & 0x7f;
      if (pt < 64 || pt > 95) this.onMedia(buf, offset, length);
      return;
    }
    const o = this.offer;
    if (o) this.onMessage(Buffer.from(buf.subarray(offset, offset + length)), o.candidate.ip, o.candidate.port);
  }

  /** Closes the socket and timers. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.checkTimer);
    this.dtls.close();
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }

  private check(): void {
    const o = this.offer;
    if (!o || this.closed) return;
    const req = new Message(methods.BINDING, classes.REQUEST)
      .setAttribute('USERNAME', `${o.ufrag}:${this.ufrag}`)
      .setAttribute('PRIORITY', 2130706431);
    if (o.lite) req.setAttribute('ICE-CONTROLLING', randomBytes(8).readBigUInt64BE(0)).setAttribute('USE-CANDIDATE', null);
    else req.setAttribute('ICE-CONTROLLED', randomBytes(8).readBigUInt64BE(0));
    this.send(req.addMessageIntegrity(Buffer.from(o.pwd, 'utf8')).addFingerprint().bytes);
    // After connecting, checks continue as consent freshness (every 2.5 s).
    if (this.iceOk && this.checkTimer) {
      clearInterval(this.checkTimer);
      this.checkTimer = setInterval(() => this.check(), 2500);
      this.checkTimer.unref();
    }
  }

  private send(data: Buffer): void {
    const o = this.offer;
    if (!o || this.closed) return;
    this.socket.send(data, o.candidate.port, o.candidate.ip);
  }

  private onMessage(msg: Buffer, address: string, port: number): void {
    const b = msg[0];
    if (b >= 128 && b <= 191) {
      const pt = msg[1] & 0x7f;
      if (pt >= 64 && pt <= 95) return; // RTCP (200–206 with the marker bit folded in)
      this.onMedia(msg, 0, msg.length);
    } else if (b <= 3) this.onStun(msg, address, port);
    else if (b >= 20 && b <= 63) {
      // werift's DtlsClient errors out on a second HelloVerifyRequest, which a busy server sends
      // when our ClientHello was retransmitted; a browser ignores it, so does the bot.
      if (b === 22 && msg.length > 13 && msg[13] === 3) {
        if (this.sawHelloVerify) return;
        this.sawHelloVerify = true;
      }
      this.dtls.handle(msg);
    }
  }

  private onMedia(buf: Buffer, offset: number, length: number): void {
    if (length < 12) return;
    this.counters.packets++;
    const ssrc = buf.readUInt32BE(offset + 8);
    const seq = ((buf[offset + 2] as number) << 8) | (buf[offset + 3] as number);
    let s = this.seqs.get(ssrc);
    if (!s) {
      s = { first: seq, max: seq, received: 0, verify: 0 };
      this.seqs.set(ssrc, s);
      if (this.firstVideoMs < 0 && this.videoSsrcs.has(ssrc)) this.firstVideoMs = performance.now() - this.startedAt;
    }
    // Extend the 16-bit number around the highest seen so far.
    const delta = ((((seq - (s.max & 0xffff)) & 0xffff) << 16) >> 16);
    const ext = s.max + delta;
    if (ext > s.max) s.max = ext;
    s.received++;
    // A sparse verifier must see each SSRC's first packets before its sequence number wraps, or
    // it would assume rollover counter 0 where the sender has 1: start with a stream's first packet.
    if (!this.srtpIn || s.verify < 0) return;
    if (s.verify === 0) {
      if (s.max >= 0x10000) {
        s.verify = -1;
        return;
      }
      s.verify = 1;
      this.sample = this.verifyEvery;
    }
    if (++this.sample >= this.verifyEvery) {
      this.sample = 0;
      const msg = offset === 0 && length === buf.length ? buf : Buffer.from(buf.subarray(offset, offset + length));
      if (this.srtpIn.unprotectRtp(msg, length) >= 0) this.counters.verified++;
      else this.counters.verifyFailed++;
    }
  }

  private onStun(msg: Buffer, address: string, port: number): void {
    let m: Message | undefined;
    try {
      m = parseMessage(msg);
    } catch {
      return;
    }
    if (!m || m.messageMethod !== methods.BINDING) return;
    if (m.messageClass === classes.RESPONSE) {
      if (!this.iceOk) {
        this.iceOk = true;
        if (this.dtls.state === 'new') void this.dtls.start('client');
      }
    } else if (m.messageClass === classes.REQUEST) {
      const res = new Message(methods.BINDING, classes.RESPONSE, m.transactionId).setAttribute('XOR-MAPPED-ADDRESS', [address, port]);
      this.socket.send(res.addMessageIntegrity(Buffer.from(this.pwd, 'utf8')).addFingerprint().bytes, port, address);
    }
  }
}

function fingerprintOf(sdp: string): { algorithm: string; value: string } {
  const m = /a=fingerprint:(\S+) (\S+)/.exec(sdp);
  if (!m) throw new Error('offer without fingerprint');
  return { algorithm: m[1].toLowerCase(), value: m[2].toUpperCase() };
}
