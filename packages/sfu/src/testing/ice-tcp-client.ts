/**
 * A minimal ICE-TCP subscriber for tests (werift cannot be an ICE-TCP client): it connects to the
 * server's passive TCP candidate, sends a connectivity check framed per RFC 4571, runs DTLS as the
 * client over the same connection (our DtlsSession), and decrypts every SRTP packet it receives.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { classes, Message, methods, parseMessage } from 'werift';
import { parseRtp, RtpPacket } from '../rtp/rtp-packet';
import { SrtpSession } from '../srtp/srtp-session';
import { localFingerprint } from '../transport/dtls-certificate';
import { DtlsSession } from '../transport/dtls-session';
import { frameRfc4571, Rfc4571Reader } from '../transport/rfc4571-framer';
import { readOffer, writeAnswer } from './offer-answer';

/** One received, decrypted RTP packet. */
export interface TcpReceivedRtp {
  ssrc: number;
  sequenceNumber: number;
  payload: Buffer;
}

/** The passive TCP candidate of an offer, or undefined. */
export function tcpCandidateOf(sdp: string): { ip: string; port: number } | undefined {
  const m = /a=candidate:\S+ 1 tcp \d+ (\S+) (\d+) typ host tcptype passive/.exec(sdp);
  return m ? { ip: m[1], port: Number(m[2]) } : undefined;
}

/** A subscriber reaching the server over ICE-TCP only (see file comment). */
export class IceTcpClient {
  /** Decrypted RTP packets in arrival order. */
  readonly received: TcpReceivedRtp[] = [];
  /** Binding responses received. */
  checksAnswered = 0;
  /** SRTP packets that failed to decrypt. */
  srtpFailures = 0;
  private readonly ufrag = randomBytes(4).toString('hex');
  private readonly pwd = randomBytes(16).toString('hex');
  private socket: net.Socket | undefined;
  private readonly reader = new Rfc4571Reader();
  private readonly dtls = new DtlsSession((data) => this.send(data));
  private srtpIn: SrtpSession | undefined;
  private readonly view = new RtpPacket();
  private offer = '';

  constructor() {
    this.dtls.on('keys', (k) => {
      this.srtpIn = new SrtpSession(k.profile, k.remoteKey, k.remoteSalt);
    });
  }

  /** True once DTLS gave keys. */
  get connected(): boolean {
    return this.srtpIn !== undefined;
  }

  /** Our recvonly answer to the server's offer (DTLS client, setup:active). */
  async answer(offer: string): Promise<string> {
    this.offer = offer;
    const fp = await localFingerprint();
    const m = /a=fingerprint:(\S+) (\S+)/.exec(offer);
    if (!m) throw new Error('offer without fingerprint');
    this.dtls.setRemoteFingerprint({ algorithm: m[1].toLowerCase(), value: m[2].toUpperCase() });
    return writeAnswer(offer, { ufrag: this.ufrag, pwd: this.pwd, fingerprint: `${fp.algorithm} ${fp.value}`, port: 9 });
  }

  /** Connects to the offer's TCP candidate and sends the first (nominating) check. */
  async connect(): Promise<void> {
    const candidate = tcpCandidateOf(this.offer);
    if (!candidate) throw new Error('offer without a passive TCP candidate');
    const socket = net.connect({ host: candidate.ip, port: candidate.port });
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => this.reader.push(chunk, (frame) => this.onFrame(frame)));
    this.check();
  }

  /** Sends a connectivity check (also consent freshness). */
  check(): void {
    const o = readOffer(this.offer);
    const req = new Message(methods.BINDING, classes.REQUEST)
      .setAttribute('USERNAME', `${o.ufrag}:${this.ufrag}`)
      .setAttribute('PRIORITY', 1_694_498_815)
      .setAttribute('ICE-CONTROLLING', randomBytes(8).readBigUInt64BE(0))
      .setAttribute('USE-CANDIDATE', null);
    this.send(req.addMessageIntegrity(Buffer.from(o.pwd, 'utf8')).addFingerprint().bytes);
  }

  /** Writes raw bytes on the connection (tests of bad input). */
  writeRaw(bytes: Buffer): void {
    this.socket?.write(bytes);
  }

  /** Closes the connection. */
  close(): void {
    this.dtls.close();
    this.socket?.destroy();
  }

  private send(data: Buffer): void {
    if (this.socket && !this.socket.destroyed) this.socket.write(frameRfc4571(data));
  }

  private onFrame(frame: Buffer): void {
    const b = frame[0];
    if (b <= 3) {
      const m = parseMessage(frame);
      if (m?.messageClass === classes.RESPONSE && m.messageMethod === methods.BINDING) {
        this.checksAnswered++;
        if (this.dtls.state === 'new') void this.dtls.start('client');
      }
    } else if (b >= 20 && b <= 63) this.dtls.handle(Buffer.from(frame));
    else if (b >= 128 && b <= 191 && this.srtpIn) {
      const pt = frame[1] & 0x7f;
      if (pt >= 64 && pt <= 95) return; // RTCP
      const copy = Buffer.from(frame);
      const n = this.srtpIn.unprotectRtp(copy, copy.length);
      if (n < 0) {
        this.srtpFailures++;
        return;
      }
      const p = parseRtp(copy, n, this.view);
      if (p) this.received.push({ ssrc: p.ssrc, sequenceNumber: p.sequenceNumber, payload: Buffer.from(copy.subarray(p.payloadOffset, p.payloadOffset + p.payloadLength)) });
    }
  }
}
