/**
 * WebRtcTransport: one ICE-lite/DTLS/SRTP connection (BUNDLE, rtcp-mux) on its own UDP port, or
 * with `udpPort` on the thread's shared UDP port (shared-udp-port.ts) — and, with `tcpPort`, also
 * reachable over ICE-TCP on the thread's shared TCP port (a passive candidate of lower priority:
 * the fallback when UDP is blocked) — carrying any number of producers and consumers of one
 * participant.
 *
 * werift does the handshakes only (STUN message codec, DTLS, SDP parsing). Every media datagram
 * takes our path: demultiplex by first byte (RFC 7983) → SRTP unprotect in place → ONE parse into a
 * reused RtpPacket → transport-wide CC record (every packet, unknown SSRCs and RTX included) →
 * SSRC lookup → producer → consumers. RTCP runs on ONE timer per transport: TWCC feedback, NACKs,
 * receiver reports to publishers, sender reports to subscribers. Subscribers' RTCP feeds the
 * consumers (NACK → retransmission, PLI/FIR → throttled keyframe request) and the connection's
 * send-side bandwidth estimate, which drives simulcast layer choice.
 */
import type { RemoteInfo, Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { ProbeController } from '../bwe/probe-controller';
import { SendSideBwe } from '../bwe/send-side-bwe';
import { parseRtcp } from '../rtcp/parse-rtcp';
import { serializeReceiverReport } from '../rtcp/serialize-rtcp';
import { readStringExtension, readTransportSequence, RtpExtensionUri } from '../rtp/header-extensions';
import { looksLikeRtcp, parseRtp, RtpPacket, writeU32 } from '../rtp/rtp-packet';
import { SrtpSession } from '../srtp/srtp-session';
import { DatagramSender } from './datagram-sender';
import { nativeUdp } from './native-udp';
import { type EncodedAddress, encodeAddress, SendBatch, sendBatch } from './send-batch';
import { socketFd } from './udp-handle';
import { TwccRecorder } from '../twcc/twcc-recorder';
import { type DeferredPacketTarget, turnBudget } from '../util/turn-budget';
import { TypedEmitter } from '../util/typed-emitter';
import { AUDIO_RESERVE_BPS, Consumer, type ConsumerOwner } from '../router/consumer';
import { newMediaId } from '../router/ids';
import { Producer, type ProducerOwner } from '../router/producer';
import type { RecvStream } from '../router/recv-stream';
import type { OutgoingRtpInfo, RtpEndpoint } from '../router/rtp-endpoint';
import type { TimerSet } from '../router/timer-set';
import { localFingerprint } from './dtls-certificate';
import { type DtlsState, DtlsSession, type SrtpKeyMaterial } from './dtls-session';
import { type IceState, IceLiteAgent, type IceTuple } from './ice-lite';
import { MediaError } from './media-error';
import { parseRemoteDescription } from './sdp-parse';
import { SdpNegotiator } from './sdp-negotiation';
import { type StreamConnection, TcpIceListener, type TcpIceTarget } from './tcp-ice-listener';
import { bindUdpSocket } from './udp-port';
import { SharedUdpPort, type UdpMuxTarget } from './shared-udp-port';

/** Configuration of a WebRtcTransport. */
export interface WebRtcTransportOptions {
  /** IP to bind. */
  listenIp: string;
  /** IP announced in our candidate (public address behind NAT); default listenIp. */
  announcedIp?: string;
  /** UDP port range, inclusive. Default [40000, 49999]. */
  portRange?: readonly [number, number];
  /** The thread's shared UDP port on listenIp (every transport of the thread on it; portRange unused). 0 or absent: a port of its own. */
  udpPort?: number;
  /** ICE-TCP: the thread's shared TCP port on listenIp (a passive candidate on announcedIp). 0 or absent: no TCP. */
  tcpPort?: number;
  /** ICE consent: no binding request for this long → 'disconnected'. Default 12 s. */
  consentTimeoutMs?: number;
  /** Period of the transport's RTCP timer (TWCC feedback, NACK, reports). Default 50 ms. */
  rtcpIntervalMs?: number;
  /** Video codecs preferred when a publisher offers several, e.g. ['video/VP8']. */
  preferredVideoCodecs?: readonly string[];
  /** Most consumers on this transport. Default 1000. */
  maxConsumers?: number;
  /** Bandwidth estimate towards this peer before any feedback, bps. Default 1 Mbps. */
  initialAvailableBitrate?: number;
  /** Round-trip time assumed for NACK retries towards a publisher, ms. Default 50. */
  publisherRttMs?: number;
  /**
   * Loss injection for tests: called for every outgoing RTP packet; returning true drops it after
   * it was counted as sent (as a lossy network would); `length` is the RTP packet's size (a rate
   * limit can be simulated with it). Never set in production.
   */
  outgoingRtpLossFilter?: (info: OutgoingRtpInfo, length: number) => boolean;
  /** Application data. */
  appData?: Record<string, unknown>;
}

/** Events of a WebRtcTransport. */
export type WebRtcTransportEvents = {
  /** ICE state changed ('disconnected' when the peer stopped its consent checks). */
  icestatechange: [state: IceState];
  /** DTLS state changed. */
  dtlsstatechange: [state: DtlsState];
  /** Media now flows to this remote address (first selection or a network change). */
  tupleselected: [tuple: IceTuple];
  /** Consumers were added or closed: call createOffer() and send it to the peer. */
  negotiationneeded: [];
  /** Closed. */
  close: [];
};

/** Router hooks a transport reports to. */
export interface TransportOwner {
  /** The router's timers. */
  readonly timers: TimerSet;
  /** A producer appeared on this transport. */
  onProducerAdded(producer: Producer): void;
  /** A producer of this transport closed. */
  onProducerClosed(producer: Producer): void;
  /** The transport closed. */
  onTransportClosed(transport: WebRtcTransport): void;
  /** Audio level of a producer's packet. */
  onAudioLevel(producerId: string, levelDbov: number, voice: boolean, nowMs: number): void;
}

/** Options of consume(). */
export interface ConsumeOptions {
  /** Start paused. */
  paused?: boolean;
  /** Subscriber-side MediaStream id (default: the producer's transport id, grouping a participant's tracks). */
  streamId?: string;
  /** Initial viewport for simulcast layer choice. */
  viewport?: { width: number; height: number };
  /** Application data. */
  appData?: Record<string, unknown>;
}

interface SsrcEntry {
  producer: Producer;
  stream: RecvStream;
  rtx: boolean;
}

/** Traffic counters of a transport. */
export interface TransportStats {
  /** Datagrams received. */
  datagramsReceived: number;
  /** RTP packets accepted after SRTP. */
  rtpReceived: number;
  /** Datagrams dropped (bad SRTP, unknown SSRC, wrong source address…). */
  dropped: number;
  /** RTP packets sent. */
  rtpSent: number;
  /** RTCP packets sent. */
  rtcpSent: number;
  /** Bytes sent. */
  bytesSent: number;
}

const MAX_SSRCS = 64;
const REPORT_INTERVAL_MS = 1000;
const MAX_RTCP_DATAGRAM = 1200;
const MAX_EARLY_DTLS = 16;
/** A publisher's ~250 packets/s for a second or two: a worker busy for a moment loses nothing. */
const RECV_BUFFER_BYTES = 512 * 1024;
/** ICE-TCP connections one transport accepts (a client opens one per candidate pair it checks). */
const MAX_TCP_CONNECTIONS = 8;

/** One peer connection of a participant (see file comment). */
export class WebRtcTransport extends TypedEmitter<WebRtcTransportEvents> implements RtpEndpoint, ProducerOwner, ConsumerOwner, TcpIceTarget, UdpMuxTarget, DeferredPacketTarget {
  /** Id. */
  readonly id = newMediaId('transport');
  /** UDP port. */
  readonly port: number;
  /** SSRC of our RTCP feedback and receiver reports. */
  readonly rtcpSsrc = randomBytes(4).readUInt32BE(0) || 1;
  /** Producers by id. */
  readonly producers = new Map<string, Producer>();
  /** Consumers by id. */
  readonly consumers = new Map<string, Consumer>();
  /** Application data. */
  readonly appData: Record<string, unknown>;
  /** Counters. */
  readonly stats: TransportStats = { datagramsReceived: 0, rtpReceived: 0, dropped: 0, rtpSent: 0, rtcpSent: 0, bytesSent: 0 };
  /** True once closed. */
  closed = false;

  private readonly owner: TransportOwner;
  private readonly socket: Socket;
  private readonly sender: DatagramSender;
  private readonly releasePort: () => void;
  private readonly ice: IceLiteAgent;
  private readonly dtls: DtlsSession;
  private readonly negotiator: SdpNegotiator;
  private readonly options: WebRtcTransportOptions;
  private readonly stopTimer: () => void;
  private readonly twccRecorder: TwccRecorder;
  private readonly bwe: SendSideBwe;
  private readonly prober = new ProbeController();
  /** Probe cluster of the packets being sent right now (-1: media). */
  private sendingProbeCluster = -1;
  private probeTimer: NodeJS.Timeout | undefined;
  private probeConsumer = 0;
  private readonly lossFilter: ((info: OutgoingRtpInfo, length: number) => boolean) | undefined;
  private srtpIn: SrtpSession | undefined;
  private srtpOut: SrtpSession | undefined;
  /** srtpOut's context in this thread's native send step (send-batch.ts), or -1: protect in JavaScript. */
  private nativeSrtp = -1;
  /** The socket's descriptor for the native send step (-1: none). */
  private readonly fd: number;
  /** The selected tuple, encoded for the native send step. */
  private encodedFor: IceTuple | undefined;
  private encoded: EncodedAddress | undefined;
  private readonly view = new RtpPacket();
  private readonly rtxView = new RtpPacket();
  private readonly rtxScratch = Buffer.alloc(1600);
  private readonly ssrcTable = new Map<number, SsrcEntry>();
  private readonly producerByMid = new Map<string, Producer>();
  private readonly consumerBySsrc = new Map<number, Consumer>();
  private readonly consumerByMid = new Map<string, Consumer>();
  private twccInId = 0;
  private midInId = 0;
  private ridInId = 0;
  private repairedRidInId = 0;
  private twccSendSeq = Math.floor(Math.random() * 0x10000);
  private lastReportMs = 0;
  private negotiationQueued = false;
  private earlyDtls: Buffer[] | undefined;
  private readonly tcp: TcpIceListener | undefined;
  /** The thread's shared UDP port when this transport is on it (socket is then its socket). */
  private readonly mux: SharedUdpPort | undefined;
  /** Every ufrag registered with the TCP listener (a restart adds one; close drops all; the shared UDP port forgets ours by itself). */
  private readonly tcpUfrags = new Set<string>();
  private readonly tcpConnections = new Set<StreamConnection>();

  /** Binds the UDP port (and joins the thread's ICE-TCP port) and prepares ICE-lite and DTLS; media flows after the first negotiation. */
  static async create(owner: TransportOwner, options: WebRtcTransportOptions): Promise<WebRtcTransport> {
    const tcpPort = options.tcpPort ?? 0;
    const [udp, fingerprint] = await Promise.all([WebRtcTransport.openUdp(options), localFingerprint()]);
    let tcp: TcpIceListener | undefined;
    if (tcpPort > 0) {
      try {
        tcp = await TcpIceListener.acquire(options.listenIp, tcpPort);
      } catch (err) {
        udp.release();
        throw err;
      }
    }
    return new WebRtcTransport(owner, options, udp.socket, udp.port, udp.release, fingerprint, tcp, udp.mux);
  }

  /** The shared UDP port of the thread (`udpPort`), or a port of its own from the range; `release` gives it back. */
  private static async openUdp(options: WebRtcTransportOptions): Promise<{ socket: Socket; port: number; release: () => void; mux: SharedUdpPort | undefined }> {
    const udpPort = options.udpPort ?? 0;
    if (udpPort > 0) {
      const mux = await SharedUdpPort.acquire(options.listenIp, udpPort);
      return { socket: mux.socket, port: mux.port, release: () => mux.release(), mux };
    }
    const own = await bindUdpSocket({ listenIp: options.listenIp, portRange: options.portRange ?? [40000, 49999], recvBufferSize: RECV_BUFFER_BYTES });
    const release = () => {
      try {
        own.socket.close();
      } catch {
        // already closed
      }
      own.release();
    };
    return { socket: own.socket, port: own.port, release, mux: undefined };
  }

  private constructor(
    owner: TransportOwner,
    options: WebRtcTransportOptions,
    socket: Socket,
    port: number,
    release: () => void,
    fingerprint: { algorithm: string; value: string },
    tcp: TcpIceListener | undefined,
    mux: SharedUdpPort | undefined,
  ) {
    super();
    this.mux = mux;
    this.owner = owner;
    this.options = options;
    this.socket = socket;
    this.sender = new DatagramSender(socket);
    this.fd = sendBatch ? socketFd(socket) : -1;
    this.port = port;
    this.releasePort = release;
    this.appData = options.appData ?? {};
    this.lossFilter = options.outgoingRtpLossFilter;
    this.tcp = tcp;
    const ufrag = randomBytes(6).toString('hex');
    this.registerUfrag(ufrag);
    const pwd = randomBytes(16).toString('hex');
    this.ice = new IceLiteAgent({
      ufrag,
      pwd,
      consentTimeoutMs: options.consentTimeoutMs,
      send: (data, p, address, via) => this.rawSend(data, p, address, via),
    });
    this.ice.on('statechange', (s) => this.emit('icestatechange', s));
    this.ice.on('tupleselected', (t) => {
      this.emit('tupleselected', t);
      if (this.negotiator.dtlsRole === 'client') void this.dtls.start('client');
    });
    this.dtls = new DtlsSession((data) => {
      const t = this.ice.selected;
      if (t) this.rawSend(data, t.port, t.address, t.via);
    });
    this.dtls.on('statechange', (s) => this.emit('dtlsstatechange', s));
    this.dtls.on('keys', (k) => this.startSrtp(k));
    this.negotiator = new SdpNegotiator(
      {
        iceUfrag: ufrag,
        icePwd: pwd,
        fingerprint,
        candidate: { ip: options.announcedIp ?? options.listenIp, port },
        tcpCandidate: tcp ? { ip: options.announcedIp ?? options.listenIp, port: tcp.port } : undefined,
      },
      {
        preferredVideoCodecs: options.preferredVideoCodecs,
        onIceRestart: () => {
          const fresh = { iceUfrag: randomBytes(6).toString('hex'), icePwd: randomBytes(16).toString('hex') };
          this.ice.restart(fresh.iceUfrag, fresh.icePwd);
          this.registerUfrag(fresh.iceUfrag);
          return fresh;
        },
      },
    );
    this.twccRecorder = new TwccRecorder({ senderSsrc: this.rtcpSsrc });
    this.bwe = new SendSideBwe({ initialBitrate: options.initialAvailableBitrate });
    if (!mux) {
      socket.on('message', this.onMessage);
      socket.on('error', () => {
        // ICMP errors on an unconnected UDP socket are not fatal; consent detects a dead peer.
      });
    }
    this.stopTimer = owner.timers.every(options.rtcpIntervalMs ?? 50, () => this.tick());
  }

  /** ICE state. */
  get iceState(): IceState {
    return this.ice.state;
  }

  /** DTLS state. */
  get dtlsState(): DtlsState {
    return this.dtls.state;
  }

  /** 'have-local-offer' while an offer of ours waits for its answer. */
  get signalingState(): 'stable' | 'have-local-offer' {
    return this.negotiator.signalingState;
  }

  /** Our ICE credentials (as in our descriptions). */
  get iceParameters(): { iceUfrag: string; icePwd: string } {
    const { iceUfrag, icePwd } = this.negotiator.localParams;
    return { iceUfrag, icePwd };
  }

  /** Where media goes now, once ICE selected a pair. */
  get selectedTuple(): IceTuple | undefined {
    return this.ice.selected;
  }

  /** The SRTP contexts from the DTLS handshake (inspection: an ICE restart must keep them). */
  get srtpSessions(): { inbound: SrtpSession | undefined; outbound: SrtpSession | undefined } {
    return { inbound: this.srtpIn, outbound: this.srtpOut };
  }

  /** Probe clusters started and those that showed the wanted rate (inspection). */
  get probeStats(): { clustersStarted: number; clustersSucceeded: number } {
    return { clustersStarted: this.prober.clustersStarted, clustersSucceeded: this.prober.clustersSucceeded };
  }

  /** The current bandwidth estimate towards the peer, bps. */
  get availableBitrate(): number {
    return this.bwe.estimate;
  }

  /** Mids of the m-sections in order (inspection). */
  get mids(): string[] {
    return this.negotiator.mids;
  }

  /**
   * Applies the peer's offer (a publisher adding or removing tracks, or any re-offer) and returns
   * our answer plus the producers created for its new sending sections.
   */
  async processOffer(sdp: string): Promise<{ answer: string; producers: Producer[] }> {
    this.assertOpen();
    const outcome = this.negotiator.processOffer(parseRemoteDescription(sdp, 'offer'));
    this.afterRemoteDescription();
    for (const mid of outcome.stoppedRecv) this.producerByMid.get(mid)?.close();
    for (const mid of outcome.rejectedSend) this.consumerByMid.get(mid)?.close();
    const producers = outcome.newRecv.map((params) => {
      const producer = new Producer({ transport: this, owner: this, params });
      this.producers.set(producer.id, producer);
      this.producerByMid.set(producer.mid, producer);
      for (const s of producer.streams) {
        if (!s) continue;
        this.ssrcTable.set(s.ssrc, { producer, stream: s, rtx: false });
        if (s.rtxSsrc !== undefined) this.ssrcTable.set(s.rtxSsrc, { producer, stream: s, rtx: true });
      }
      this.owner.onProducerAdded(producer);
      return producer;
    });
    return { answer: outcome.answer, producers };
  }

  /**
   * Adds a consumer of `producer` (any transport of the same router). It is offered to the peer by
   * the next createOffer() ('negotiationneeded' fires) and forwards once the answer is applied.
   */
  consume(producer: Producer, options: ConsumeOptions = {}): Consumer {
    this.assertOpen();
    if (producer.closed) throw new MediaError('PRODUCER_NOT_FOUND');
    if (this.consumers.size >= (this.options.maxConsumers ?? 1000)) throw new MediaError('LIMIT_REACHED', 'Too many consumers on this transport.');
    const id = newMediaId('consumer');
    const params = this.negotiator.addSendSection({
      kind: producer.kind,
      codec: producer.codec,
      cname: producer.params.cname ?? producer.transport.id,
      streamId: options.streamId ?? producer.transport.id,
      trackId: id,
    });
    const consumer = new Consumer({ id, producer, transport: this, owner: this, params, paused: options.paused, appData: options.appData });
    if (options.viewport) consumer.setViewport(options.viewport.width, options.viewport.height);
    this.consumers.set(consumer.id, consumer);
    this.consumerByMid.set(consumer.mid, consumer);
    this.queueNegotiation();
    return consumer;
  }

  /** Our offer with every m-section (call after 'negotiationneeded'). */
  createOffer(): string {
    this.assertOpen();
    return this.negotiator.createOffer();
  }

  /** Applies the peer's answer to our offer: offered consumers become live. */
  async processAnswer(sdp: string): Promise<void> {
    this.assertOpen();
    const outcome = this.negotiator.processAnswer(parseRemoteDescription(sdp, 'answer'));
    this.afterRemoteDescription();
    const now = performance.now();
    for (const params of outcome.negotiatedSend) {
      const consumer = this.consumerByMid.get(params.mid);
      if (!consumer) continue;
      consumer.onNegotiated(params, now);
      this.consumerBySsrc.set(params.ssrc, consumer);
      if (params.rtxSsrc !== undefined) this.consumerBySsrc.set(params.rtxSsrc, consumer);
    }
    for (const mid of outcome.rejectedSend) this.consumerByMid.get(mid)?.close();
    for (const mid of outcome.stoppedRecv) this.producerByMid.get(mid)?.close();
    this.distributeBitrate(now);
    if (this.negotiator.needsNegotiation) this.queueNegotiation();
  }

  /**
   * ICE restart (e.g. the peer changed networks): new local ICE credentials, carried by the next
   * description we write — createOffer() on a receiving transport, the answer to the peer's next
   * offer on a sending one. DTLS and SRTP are kept (a restart never redoes DTLS); the old
   * credentials authenticate until the first check with the new ones, whose pair then carries media.
   */
  restartIce(): { iceUfrag: string; icePwd: string } {
    this.assertOpen();
    const fresh = { iceUfrag: randomBytes(6).toString('hex'), icePwd: randomBytes(16).toString('hex') };
    this.ice.restart(fresh.iceUfrag, fresh.icePwd);
    this.registerUfrag(fresh.iceUfrag);
    this.negotiator.restartIce(fresh);
    return fresh;
  }

  /** Closes the transport, its producers (and their consumers everywhere) and its consumers. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopTimer();
    if (this.probeTimer) clearTimeout(this.probeTimer);
    for (const p of [...this.producers.values()]) p.close();
    for (const c of [...this.consumers.values()]) c.close();
    this.ice.close();
    this.dtls.close();
    this.socket.off('message', this.onMessage);
    this.mux?.forget(this);
    // Rows of this socket still queued go out before its descriptor is closed (and maybe reused).
    sendBatch?.flush();
    if (nativeUdp) this.srtpOut?.releaseNative(nativeUdp);
    this.nativeSrtp = -1;
    this.releasePort(); // closes its own socket; on a shared port, one user less
    if (this.tcp) {
      for (const u of this.tcpUfrags) this.tcp.unregister(u, this);
      for (const c of [...this.tcpConnections]) c.close();
      this.tcp.release();
    }
    this.owner.onTransportClosed(this);
    this.emit('close');
  }

  // --- RtpEndpoint -------------------------------------------------------------------------------

  /** See RtpEndpoint. */
  peekTransportSequence(): number {
    return this.twccSendSeq;
  }

  /** See RtpEndpoint. */
  sendRtp(buf: Buffer, offset: number, length: number, transportSeq: number, info: OutgoingRtpInfo, nowMs: number): void {
    const out = this.srtpOut;
    const tuple = this.ice.selected;
    if (!out || !tuple) return;
    if (transportSeq >= 0) {
      this.twccSendSeq = (transportSeq + 1) & 0xffff;
      this.bwe.onPacketSent(transportSeq, length, nowMs, this.sendingProbeCluster);
    }
    this.stats.rtpSent++;
    if (this.lossFilter?.(info, length)) return;
    if (this.nativeSrtp >= 0 && !tuple.via && this.queueNative(buf, offset, length, tuple, out, info.source)) return;
    // Protected into the sender's reused buffer: no new buffer per forwarded packet.
    const sender = this.sender;
    const dst = sender.buffer(length + out.rtpOverhead);
    const n = out.protectRtpInto(buf, offset, length, dst, 0);
    if (n < 0) return;
    this.stats.bytesSent += n;
    if (tuple.via) tuple.via.send(dst.subarray(0, n)); // framed into a copy
    else sender.send(n, tuple.port, tuple.address);
  }

  /** Queues one RTP packet for this thread's native protect-and-send batch; false: not taken. */
  private queueNative(buf: Buffer, offset: number, length: number, tuple: IceTuple, out: SrtpSession, source: number): boolean {
    const batch = sendBatch as NonNullable<typeof sendBatch>;
    if (length > SendBatch.maxPacket) return false;
    if (this.encodedFor !== tuple) {
      this.encoded = encodeAddress(tuple.address, tuple.port);
      this.encodedFor = tuple;
    }
    const roc = out.outgoingRoc(buf, offset, length);
    if (roc < 0) return true; // malformed or untracked SSRC: dropped, as protectRtpInto would
    batch.queueRtp(this.socket, this.fd, buf, offset, length, out.outHeaderLength, this.nativeSrtp, roc, this.encoded as EncodedAddress, source);
    this.stats.bytesSent += length + out.rtpOverhead;
    return true;
  }

  /** See RtpEndpoint: with the native send step, packets from `buf` are protected without a copy. */
  registerSendSource(buf: Buffer): number {
    return sendBatch ? sendBatch.registerSource(buf) : -1;
  }

  /** See RtpEndpoint. */
  releaseSendSource(id: number): void {
    sendBatch?.releaseSource(id);
  }

  /** See RtpEndpoint. */
  sendRtcp(packet: Buffer): void {
    const out = this.srtpOut;
    const tuple = this.ice.selected;
    if (!out || !tuple || this.closed) return;
    const protectedPacket = out.protectRtcp(packet, 0, packet.length);
    if (!protectedPacket) return;
    this.stats.rtcpSent++;
    this.stats.bytesSent += protectedPacket.length;
    if (tuple.via) tuple.via.send(protectedPacket);
    else this.socket.send(protectedPacket, tuple.port, tuple.address);
  }

  // --- owner hooks ---------------------------------------------------------------------------------

  /** See ProducerOwner. */
  onProducerClosed(producer: Producer): void {
    if (!this.producers.delete(producer.id)) return;
    this.producerByMid.delete(producer.mid);
    for (const [ssrc, e] of this.ssrcTable) if (e.producer === producer) this.ssrcTable.delete(ssrc);
    this.owner.onProducerClosed(producer);
  }

  /** See ProducerOwner. */
  onAudioLevel(producerId: string, levelDbov: number, voice: boolean, nowMs: number): void {
    this.owner.onAudioLevel(producerId, levelDbov, voice, nowMs);
  }

  /** See ConsumerOwner. */
  onConsumerClosed(consumer: Consumer): void {
    if (!this.consumers.delete(consumer.id)) return;
    this.consumerByMid.delete(consumer.mid);
    this.consumerBySsrc.delete(consumer.ssrc);
    if (consumer.rtxSsrc !== undefined) this.consumerBySsrc.delete(consumer.rtxSsrc);
    if (this.closed) return;
    this.negotiator.closeSendSection(consumer.mid);
    if (this.negotiator.needsNegotiation) this.queueNegotiation();
  }

  // --- receive path ------------------------------------------------------------------------------

  private readonly onMessage = (msg: Buffer, rinfo: RemoteInfo): void => {
    this.onPacket(msg, rinfo.address, rinfo.port, undefined);
  };

  /** See UdpMuxTarget: a datagram of ours from the thread's shared UDP port. */
  onMuxPacket(msg: Buffer, address: string, port: number): void {
    this.onPacket(msg, address, port, undefined);
  }

  /** One packet from the UDP socket or an ICE-TCP connection (`via`), demultiplexed by its first byte (RFC 7983). */
  private onPacket(msg: Buffer, address: string, port: number, via: StreamConnection | undefined): void {
    if (this.closed || msg.length === 0) return;
    this.stats.datagramsReceived++;
    const b = msg[0];
    if (b >= 128 && b <= 191) {
      if (!this.srtpIn || !this.ice.isValid(address, port, via)) this.stats.dropped++;
      else if (this.producers.size > 0 && !looksLikeRtcp(msg) && !turnBudget.admit()) {
        // Media that fans out, past this turn's budget: handled in a following turn, in order.
        turnBudget.defer(this, via ? Buffer.from(msg) : msg, address, port);
      } else this.onSrtp(msg);
    } else if (b <= 3) {
      this.ice.handleStun(msg, address, port, performance.now(), via);
      // On a shared port, an address that passed a check sends its DTLS and media to us from now on.
      if (this.mux && !via && this.ice.isValid(address, port)) this.mux.bindAddress(address, port, this);
    }
    else if (b >= 20 && b <= 63) {
      if (this.ice.isValid(address, port, via)) this.onDtls(msg);
      else this.stats.dropped++;
    } else this.stats.dropped++;
  }

  /** See DeferredPacketTarget: an SRTP packet admitted (ICE-checked) in an earlier turn. */
  onDeferredPacket(packet: Buffer): void {
    if (!this.closed && this.srtpIn) this.onSrtp(packet);
    // Its fan-out goes out before the next deferred packet's, as after a packet from the socket
    // (rows read the consumers' retransmission slabs, which must not wrap under a pending batch).
    sendBatch?.flush();
  }

  // --- ICE-TCP (TcpIceTarget) ---------------------------------------------------------------------

  /** See TcpIceTarget: a connection whose first check named one of our ufrags. */
  adoptTcp(conn: StreamConnection, first: Buffer): void {
    if (this.closed || this.tcpConnections.size >= MAX_TCP_CONNECTIONS) {
      conn.close();
      return;
    }
    this.tcpConnections.add(conn);
    this.onPacket(first, conn.address, conn.port, conn);
  }

  /** See TcpIceTarget. */
  onTcpFrame(conn: StreamConnection, frame: Buffer): void {
    this.onPacket(frame, conn.address, conn.port, conn);
  }

  /** See TcpIceTarget. */
  onTcpClosed(conn: StreamConnection): void {
    if (!this.tcpConnections.delete(conn)) return;
    this.ice.dropConnection(conn);
  }

  /** Our ufrag (first, or after an ICE restart) names this transport on the shared ports. */
  private registerUfrag(ufrag: string): void {
    this.mux?.register(ufrag, this);
    if (!this.tcp) return;
    this.tcpUfrags.add(ufrag);
    this.tcp.register(ufrag, this);
  }

  private onDtls(msg: Buffer): void {
    if (this.dtls.state === 'new') {
      // A ClientHello before we know the remote's role means the remote is the DTLS client.
      if (this.earlyDtls) {
        if (this.earlyDtls.length < MAX_EARLY_DTLS) this.earlyDtls.push(msg);
        return;
      }
      this.earlyDtls = [msg];
      void this.dtls.start(this.negotiator.dtlsRole === 'client' ? 'client' : 'server').then(() => {
        const queued = this.earlyDtls ?? [];
        this.earlyDtls = undefined;
        for (const m of queued) this.dtls.handle(m);
      });
      return;
    }
    if (this.earlyDtls) {
      if (this.earlyDtls.length < MAX_EARLY_DTLS) this.earlyDtls.push(msg);
      return;
    }
    this.dtls.handle(msg);
  }

  private onSrtp(msg: Buffer): void {
    const srtp = this.srtpIn as SrtpSession;
    if (looksLikeRtcp(msg)) {
      const n = srtp.unprotectRtcp(msg, msg.length);
      if (n < 0) {
        this.stats.dropped++;
        return;
      }
      this.onRtcp(msg, n);
      return;
    }
    const n = srtp.unprotectRtp(msg, msg.length);
    if (n < 0) {
      this.stats.dropped++;
      return;
    }
    // A view of exactly the clear packet (without the auth tag): each consumer's rewriter then copies
    // it with one TypedArray.set instead of a Buffer.copy that allocates a view per consumer.
    let p = parseRtp(n === msg.length ? msg : msg.subarray(0, n), n, this.view);
    if (!p) {
      this.stats.dropped++;
      return;
    }
    const nowMs = performance.now();
    if (this.twccInId !== 0) {
      const seq = readTransportSequence(p, this.twccInId);
      if (seq >= 0) this.twccRecorder.record(seq, nowMs * 1000, p.ssrc);
    }
    const entry = this.ssrcTable.get(p.ssrc) ?? this.resolveSsrc(p);
    if (!entry) {
      this.stats.dropped++;
      return;
    }
    if (entry.rtx) {
      p = this.unwrapRtx(p, entry);
      if (!p) return; // padding-only probe: counted for TWCC above, nothing to forward
    }
    this.stats.rtpReceived++;
    entry.producer.receiveRtp(entry.stream, p, nowMs);
  }

  /** Binds an SSRC first seen on the wire to a producer stream by mid / rid / payload type. */
  private resolveSsrc(p: RtpPacket): SsrcEntry | undefined {
    if (this.ssrcTable.size >= MAX_SSRCS) return undefined;
    const mid = this.midInId !== 0 ? readStringExtension(p, this.midInId) : undefined;
    let producer = mid !== undefined ? this.producerByMid.get(mid) : undefined;
    if (!producer && mid === undefined) {
      const candidates = [...this.producers.values()].filter((x) => x.params.codec.payloadType === p.payloadType || x.params.codec.rtxPayloadType === p.payloadType);
      if (candidates.length === 1) producer = candidates[0];
    }
    if (!producer) return undefined;
    const codec = producer.params.codec;
    const rtx = codec.rtxPayloadType !== undefined && p.payloadType === codec.rtxPayloadType;
    if (!rtx && p.payloadType !== codec.payloadType) return undefined;
    let layer = 0;
    if (producer.simulcast) {
      const rid = readStringExtension(p, rtx ? this.repairedRidInId : this.ridInId);
      layer = rid === undefined ? -1 : producer.layerOfRid(rid);
      if (layer < 0) return undefined;
    }
    let entry: SsrcEntry;
    if (rtx) {
      const stream = producer.streams[layer];
      if (!stream) return undefined;
      stream.rtxSsrc = p.ssrc;
      entry = { producer, stream, rtx: true };
    } else {
      const stream = producer.bindStream(layer, p.ssrc);
      if (stream.ssrc !== p.ssrc) return undefined;
      entry = { producer, stream, rtx: false };
    }
    this.ssrcTable.set(p.ssrc, entry);
    return entry;
  }

  /** RFC 4588: the original packet from an RTX one (OSN first in the payload), in a scratch buffer. */
  private unwrapRtx(p: RtpPacket, entry: SsrcEntry): RtpPacket | null {
    if (p.payloadLength < 2) return null;
    const header = p.payloadOffset;
    const length = header + p.payloadLength - 2;
    const dst = this.rtxScratch;
    if (length > dst.length) return null;
    const src = p.buffer;
    src.copy(dst, 0, 0, header);
    dst[0] &= ~0x20;
    dst[1] = (dst[1] & 0x80) | entry.producer.params.codec.payloadType;
    dst[2] = src[header];
    dst[3] = src[header + 1];
    writeU32(dst, 8, entry.stream.ssrc);
    src.copy(dst, header, header + 2, header + p.payloadLength);
    return parseRtp(dst, length, this.rtxView);
  }

  private onRtcp(buf: Buffer, length: number): void {
    const nowMs = performance.now();
    let bitrateChanged = false;
    for (const pkt of parseRtcp(buf, length)) {
      switch (pkt.type) {
        case 'sr': {
          this.ssrcTable.get(pkt.ssrc)?.stream.onSenderReport(pkt, nowMs);
          for (const block of pkt.reports) this.consumerBySsrc.get(block.ssrc)?.onReceiverReport(block);
          break;
        }
        case 'rr':
          for (const block of pkt.reports) {
            const c = this.consumerBySsrc.get(block.ssrc);
            if (!c) continue;
            c.onReceiverReport(block);
            if (!Number.isNaN(c.rttMs)) this.bwe.setRtt(c.rttMs);
          }
          break;
        case 'nack':
          this.consumerBySsrc.get(pkt.mediaSsrc)?.onNack(pkt.sequenceNumbers, nowMs);
          break;
        case 'pli':
          this.consumerBySsrc.get(pkt.mediaSsrc)?.onKeyframeRequest(nowMs);
          break;
        case 'fir':
          for (const e of pkt.entries) this.consumerBySsrc.get(e.ssrc)?.onKeyframeRequest(nowMs);
          break;
        case 'transport-cc':
          this.bwe.onTransportFeedback(pkt, nowMs);
          bitrateChanged = true;
          break;
        case 'remb':
          this.bwe.onRemb(pkt.bitrate);
          bitrateChanged = true;
          break;
        default:
          break;
      }
    }
    if (bitrateChanged) this.distributeBitrate(nowMs);
  }

  // --- timer ---------------------------------------------------------------------------------------

  private tick(): void {
    if (this.closed) return;
    const nowMs = performance.now();
    this.ice.tick(nowMs);
    if (!this.srtpOut || !this.ice.selected) return;
    const out: Buffer[] = [];
    if (this.twccRecorder.hasPending) out.push(...this.twccRecorder.buildFeedback());
    const rtt = this.options.publisherRttMs ?? 50;
    for (const p of this.producers.values()) p.tick(nowMs, out, rtt);
    for (const c of this.consumers.values()) c.tick(nowMs);
    this.probe(nowMs);
    if (nowMs - this.lastReportMs >= REPORT_INTERVAL_MS) {
      this.lastReportMs = nowMs;
      const blocks = [...this.producers.values()].flatMap((p) => p.reportBlocks(nowMs));
      for (let i = 0; i < blocks.length; i += 31) out.push(serializeReceiverReport({ ssrc: this.rtcpSsrc, reports: blocks.slice(i, i + 31) }));
      const wall = Date.now();
      for (const c of this.consumers.values()) {
        const sr = c.senderReport(nowMs, wall);
        if (sr) out.push(sr);
      }
    }
    this.flushRtcp(out);
  }

  /** Sends RTCP packets, several per datagram (compound) up to a safe size. */
  private flushRtcp(packets: Buffer[]): void {
    let batch: Buffer[] = [];
    let size = 0;
    for (const p of packets) {
      if (size + p.length > MAX_RTCP_DATAGRAM && batch.length > 0) {
        this.sendRtcp(batch.length === 1 ? batch[0] : Buffer.concat(batch));
        batch = [];
        size = 0;
      }
      batch.push(p);
      size += p.length;
    }
    if (batch.length > 0) this.sendRtcp(batch.length === 1 ? batch[0] : Buffer.concat(batch));
  }

  // --- helpers -------------------------------------------------------------------------------------

  private afterRemoteDescription(): void {
    const ids = this.negotiator.extensionIds;
    this.twccInId = ids.get(RtpExtensionUri.transportWideCc) ?? 0;
    this.midInId = ids.get(RtpExtensionUri.mid) ?? 0;
    this.ridInId = ids.get(RtpExtensionUri.rtpStreamId) ?? 0;
    this.repairedRidInId = ids.get(RtpExtensionUri.repairedRtpStreamId) ?? 0;
    const remote = this.negotiator.remote;
    if (remote) this.dtls.setRemoteFingerprint(remote.fingerprint);
    if (this.negotiator.dtlsRole === 'client' && this.ice.selected) void this.dtls.start('client');
  }

  private startSrtp(k: SrtpKeyMaterial): void {
    if (this.closed) return;
    this.srtpIn = new SrtpSession(k.profile, k.remoteKey, k.remoteSalt);
    if (nativeUdp) this.srtpOut?.releaseNative(nativeUdp);
    this.srtpOut = new SrtpSession(k.profile, k.localKey, k.localSalt);
    this.nativeSrtp = nativeUdp && this.fd >= 0 ? this.srtpOut.nativeContext(nativeUdp) : -1;
    // Consumers negotiated before DTLS finished need their first keyframe now.
    const now = performance.now();
    for (const c of this.consumers.values()) if (c.negotiated) c.producer.requestKeyframe(now);
  }

  // --- probing (bwe/probe-controller.ts) --------------------------------------------------------

  /** Applies judged probes and starts a cluster when the consumers want more than the estimate. */
  private probe(nowMs: number): void {
    let applied = false;
    for (const r of this.bwe.takeProbeResults(nowMs)) {
      this.prober.onResult(r.cluster, r.bitrateBps, nowMs);
      if (r.bitrateBps > 0) applied = true;
    }
    if (applied) this.distributeBitrate(nowMs);
    if (this.prober.current) return;
    // The estimate is split equally between video consumers: the one wanting most sets the need.
    let audio = 0;
    let video = 0;
    let most = 0;
    for (const c of this.consumers.values()) {
      if (c.kind === 'audio') audio++;
      else if (!c.paused && !c.producerPaused) {
        video++;
        const w = c.wantedBitrate();
        if (w > most) most = w;
      }
    }
    if (most <= 0) return;
    const wanted = audio * AUDIO_RESERVE_BPS + video * most;
    const congested = this.bwe.usage === 'overusing' || this.bwe.lossRate > 0.1;
    if (this.prober.maybeStart(nowMs, this.bwe.estimate, wanted, congested)) this.probeStep();
  }

  /** Sends what the current cluster is due (paced at its rate), then again in a few ms until it is complete. */
  private probeStep = (): void => {
    this.probeTimer = undefined;
    const cluster = this.prober.current;
    if (!cluster || this.closed) return;
    const nowMs = performance.now();
    const due = this.prober.dueBytes(nowMs);
    let complete = false;
    let stuck = false;
    this.sendingProbeCluster = cluster.id;
    try {
      while (!complete && cluster.bytesSent < due) {
        const n = this.sendProbePacket(nowMs);
        if (n <= 0) {
          stuck = true;
          break;
        }
        complete = this.prober.onPacketSent(n);
      }
    } finally {
      this.sendingProbeCluster = -1;
    }
    if (complete || stuck || nowMs - cluster.startMs > 500) {
      this.prober.endCluster(nowMs);
      this.bwe.onProbeClusterEnded(cluster.id, nowMs);
      return;
    }
    this.probeTimer = setTimeout(this.probeStep, 5);
    this.probeTimer.unref?.();
  };

  /** One probe packet from the next video consumer able to send one (round robin); its size, or 0. */
  private sendProbePacket(nowMs: number): number {
    const list = [...this.consumers.values()];
    for (let k = 0; k < list.length; k++) {
      const c = list[(this.probeConsumer + k) % list.length];
      if (c.kind !== 'video') continue;
      const n = c.sendProbe(nowMs);
      if (n > 0) {
        this.probeConsumer = (this.probeConsumer + k + 1) % list.length;
        return n;
      }
    }
    return 0;
  }

  /** Splits the connection's estimate: audio keeps a fixed share, video consumers share the rest. */
  private distributeBitrate(nowMs: number): void {
    let audio = 0;
    const video: Consumer[] = [];
    for (const c of this.consumers.values()) {
      if (c.kind === 'audio') audio++;
      else if (!c.paused && !c.producerPaused) video.push(c);
    }
    if (video.length === 0) return;
    const share = Math.max(0, this.bwe.estimate - audio * AUDIO_RESERVE_BPS) / video.length;
    for (const c of video) c.setAvailableBitrate(share, nowMs);
  }

  private queueNegotiation(): void {
    if (this.negotiationQueued || this.closed) return;
    this.negotiationQueued = true;
    queueMicrotask(() => {
      this.negotiationQueued = false;
      if (!this.closed && this.negotiator.needsNegotiation) this.emit('negotiationneeded');
    });
  }

  private rawSend(data: Buffer, port: number, address: string, via?: StreamConnection): void {
    if (this.closed) return;
    this.stats.bytesSent += data.length;
    if (via) via.send(data);
    else this.socket.send(data, port, address);
  }

  private assertOpen(): void {
    if (this.closed) throw new MediaError('CLOSED');
  }
}
