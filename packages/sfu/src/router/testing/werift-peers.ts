/**
 * Real WebRTC peers for the SFU's tests: werift RTCPeerConnections on loopback (no STUN server,
 * max-bundle), a publisher that sends synthetic VP8/Opus RTP through a real sender, and a
 * subscriber that answers the server's offers like a signaling client would and records every RTP
 * packet its tracks receive.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import {
  MediaStreamTrack,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RtpHeader,
  RTP_EXTENSION_URI,
  RtpPacket as WeriftRtpPacket,
  useAbsSendTime,
  useFIR,
  useNACK,
  usePLI,
  useREMB,
  useSdesMid,
  useSdesRTPStreamId,
  useTransportWideCC,
  useTWCC,
} from 'werift';
import type { WebRtcTransport } from '../../transport/webrtc-transport';
import { TwccRecorder } from '../../twcc/twcc-recorder';

/** A werift peer connection restricted to loopback, with the codecs and extensions the SFU negotiates. */
/** The video codec a test peer offers or accepts. */
export type TestVideoCodec = 'VP8' | 'H264';

/** RTP payload type of the test peers' video codec (its RTX is the next one). */
const VIDEO_PT: Record<TestVideoCodec, number> = { VP8: 96, H264: 102 };

export function loopbackPeer(videoCodec: TestVideoCodec = 'VP8'): RTCPeerConnection {
  const pt = VIDEO_PT[videoCodec];
  const feedback = [useNACK(), usePLI(), useFIR(), useREMB(), useTWCC()];
  return new RTCPeerConnection({
    iceServers: [],
    bundlePolicy: 'max-bundle',
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    codecs: {
      audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111, rtcpFeedback: [useTWCC()] })],
      video: [
        videoCodec === 'H264'
          ? new RTCRtpCodecParameters({ mimeType: 'video/H264', clockRate: 90000, payloadType: pt, parameters: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f', rtcpFeedback: feedback })
          : new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, payloadType: pt, rtcpFeedback: feedback }),
        new RTCRtpCodecParameters({ mimeType: 'video/rtx', clockRate: 90000, payloadType: pt + 1, parameters: `apt=${pt}` }),
      ],
    },
    headerExtensions: {
      audio: [useSdesMid(), useTransportWideCC()],
      video: [useSdesMid(), useTransportWideCC(), useAbsSendTime(), useSdesRTPStreamId()],
    },
  });
}

/** Polls `condition` until true; throws with `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Payloads of one synthetic VP8 frame: descriptor + (for a keyframe) a frame header with its size. */
export function vp8Frame(pictureId: number, options: { keyframe: boolean; packets?: number; size?: number; width?: number; height?: number }): Buffer[] {
  const count = options.packets ?? 3;
  const size = options.size ?? 400;
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const desc = Buffer.from([0x80 | (i === 0 ? 0x10 : 0), 0x80, 0x80 | ((pictureId >> 8) & 0x7f), pictureId & 0xff]);
    const body = randomBytes(size);
    if (i === 0) {
      body[0] = options.keyframe ? 0x10 : 0x11; // frame tag: bit 0 clear = keyframe, show_frame set
      if (options.keyframe) {
        body[3] = 0x9d;
        body[4] = 0x01;
        body[5] = 0x2a;
        body.writeUInt16LE((options.width ?? 640) & 0x3fff, 6);
        body.writeUInt16LE((options.height ?? 360) & 0x3fff, 8);
      }
    }
    out.push(Buffer.concat([desc, body]));
  }
  return out;
}

/**
 * Payloads of one synthetic H264 frame (RFC 6184, packetization-mode 1): a keyframe opens with a
 * STAP-A of SPS and PPS, then the IDR slice in FU-A fragments; other frames are a non-IDR slice in
 * FU-A fragments.
 */
export function h264Frame(options: { keyframe: boolean; packets?: number; size?: number }): Buffer[] {
  const fragments = options.packets ?? 3;
  const size = options.size ?? 400;
  const nri = 0x60;
  const out: Buffer[] = [];
  if (options.keyframe) {
    const sps = Buffer.from([nri | 7, 0x42, 0xe0, 0x1f, 0x8c, 0x8d, 0x40, 0x50, 0x1e, 0xd0]);
    const pps = Buffer.from([nri | 8, 0xce, 0x3c, 0x80]);
    const stap = Buffer.alloc(1 + 2 + sps.length + 2 + pps.length);
    stap[0] = nri | 24;
    stap.writeUInt16BE(sps.length, 1);
    sps.copy(stap, 3);
    stap.writeUInt16BE(pps.length, 3 + sps.length);
    pps.copy(stap, 5 + sps.length);
    out.push(stap);
  }
  const type = options.keyframe ? 5 : 1;
  for (let i = 0; i < fragments; i++) {
    const header = (i === 0 ? 0x80 : 0) | (i === fragments - 1 ? 0x40 : 0) | type;
    out.push(Buffer.concat([Buffer.from([nri | 28, header]), randomBytes(size)]));
  }
  return out;
}

/** A publisher: audio and/or video tracks on a werift peer, negotiated with a server transport. */
export class TestPublisher {
  /** Payloads written per kind, in order. */
  readonly sent = { audio: [] as Buffer[], video: [] as Buffer[] };
  private seq = { audio: 1000, video: 5000 };
  private ts = { audio: 0, video: 0 };
  private pictureId = 0;

  private constructor(
    readonly pc: RTCPeerConnection,
    readonly audio: MediaStreamTrack | undefined,
    readonly video: MediaStreamTrack | undefined,
    readonly videoCodec: TestVideoCodec,
  ) {}

  /**
   * Creates the peer, sends its offer to the server (a local transport, or any function that
   * returns the server's answer, e.g. through a worker), applies the answer, waits for the connection.
   */
  static async connect(server: WebRtcTransport | ((offer: string) => Promise<string>), kinds: { audio?: boolean; video?: boolean; videoCodec?: TestVideoCodec } = { audio: true, video: true }): Promise<TestPublisher> {
    const videoCodec = kinds.videoCodec ?? 'VP8';
    const pc = loopbackPeer(videoCodec);
    const audio = kinds.audio ? new MediaStreamTrack({ kind: 'audio' }) : undefined;
    const video = kinds.video ? new MediaStreamTrack({ kind: 'video' }) : undefined;
    if (audio) pc.addTransceiver(audio, { direction: 'sendonly' });
    if (video) pc.addTransceiver(video, { direction: 'sendonly' });
    await pc.setLocalDescription(await pc.createOffer());
    const offer = pc.localDescription!.sdp;
    const answer = typeof server === 'function' ? await server(offer) : (await server.processOffer(offer)).answer;
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    await waitFor('publisher connection', () => pc.connectionState === 'connected' && (typeof server === 'function' || server.dtlsState === 'connected'));
    return new TestPublisher(pc, audio, video, videoCodec);
  }

  /** Sends one Opus packet; returns its payload. */
  sendAudio(): Buffer {
    const payload = randomBytes(60 + Math.floor(Math.random() * 60));
    this.audio!.writeRtp(new WeriftRtpPacket(new RtpHeader({ payloadType: 111, sequenceNumber: this.seq.audio++ & 0xffff, timestamp: (this.ts.audio += 960) >>> 0, marker: false }), payload));
    this.sent.audio.push(payload);
    return payload;
  }

  /** Sends one VP8 (or H264) frame (several packets, marker on the last); returns the payloads. */
  sendVideoFrame(keyframe: boolean): Buffer[] {
    const payloads = this.videoCodec === 'H264' ? h264Frame({ keyframe }) : vp8Frame(this.pictureId++ & 0x7fff, { keyframe });
    this.ts.video = (this.ts.video + 3000) >>> 0;
    payloads.forEach((payload, i) => {
      const header = new RtpHeader({ payloadType: VIDEO_PT[this.videoCodec], sequenceNumber: this.seq.video++ & 0xffff, timestamp: this.ts.video, marker: i === payloads.length - 1 });
      this.video!.writeRtp(new WeriftRtpPacket(header, payload));
    });
    this.sent.video.push(...payloads);
    return payloads;
  }

  /** Closes the peer. */
  async close(): Promise<void> {
    await this.pc.close();
  }
}

/** A simulcast layer the test publisher sends. */
export interface TestLayer {
  /** Rid. */
  rid: string;
  /** Frame size announced in its keyframes. */
  width: number;
  /** Frame height. */
  height: number;
  /** Packets per frame. */
  packets: number;
  /** Payload bytes per packet. */
  size: number;
}

/** Where a layer's marker byte sits in each payload (after the 4-byte VP8 descriptor and the 10-byte keyframe header). */
export const LAYER_MARKER_OFFSET = 4 + 12;

/**
 * A simulcast publisher: werift negotiates (its offer gets a=rid/a=simulcast lines, as a browser's
 * has), then each layer's RTP goes straight through the peer's DTLS transport with its own SSRC
 * and the mid/rid header extensions (werift's sender sends one stream only).
 */
export class TestSimulcastPublisher {
  private readonly state: Array<{ ssrc: number; seq: number; pictureId: number }>;
  private ts = 0;
  private frame = 0;

  private constructor(
    readonly pc: RTCPeerConnection,
    readonly layers: readonly TestLayer[],
    private readonly mid: string,
    private readonly midId: number,
    private readonly ridId: number,
  ) {
    this.state = layers.map(() => ({ ssrc: randomBytes(4).readUInt32BE(0) >>> 0, seq: Math.floor(Math.random() * 60000), pictureId: 0 }));
  }

  /** Negotiates a video-only simulcast producer on `transport`. */
  static async connect(transport: WebRtcTransport, layers: readonly TestLayer[]): Promise<TestSimulcastPublisher> {
    const pc = loopbackPeer();
    pc.addTransceiver(new MediaStreamTrack({ kind: 'video' }), { direction: 'sendonly' });
    await pc.setLocalDescription(await pc.createOffer());
    const offer = pc.localDescription!.sdp;
    const rids = layers.map((l) => `a=rid:${l.rid} send`).join('\r\n');
    const munged = offer.replace(/(a=rtcp-mux\r\n)/, `$1${rids}\r\na=simulcast:send ${layers.map((l) => l.rid).join(';')}\r\n`);
    const { answer } = await transport.processOffer(munged);
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    await waitFor('simulcast publisher connection', () => pc.connectionState === 'connected' && transport.dtlsState === 'connected');
    const id = (uri: string) => Number(new RegExp(`a=extmap:(\\d+) ${uri.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).exec(offer)?.[1]);
    const mid = /a=mid:(\S+)/.exec(offer)![1];
    return new TestSimulcastPublisher(pc, layers, mid, id('urn:ietf:params:rtp-hdrext:sdes:mid'), id('urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id'));
  }

  /** Sends one frame on every layer (keyframes when asked); each payload carries its layer index. */
  async sendFrame(keyframe: boolean): Promise<void> {
    const dtls = this.pc.dtlsTransports[0];
    this.ts = (this.ts + 3000) >>> 0;
    this.frame++;
    for (let index = 0; index < this.layers.length; index++) {
      const layer = this.layers[index];
      const st = this.state[index];
      const payloads = vp8Frame(st.pictureId++ & 0x7fff, { keyframe, packets: layer.packets, size: layer.size, width: layer.width, height: layer.height });
      for (let i = 0; i < payloads.length; i++) {
        payloads[i][LAYER_MARKER_OFFSET] = index;
        const header = new RtpHeader({
          payloadType: 96,
          ssrc: st.ssrc,
          sequenceNumber: st.seq++ & 0xffff,
          timestamp: this.ts,
          marker: i === payloads.length - 1,
          extension: true,
          extensionProfile: 0xbede,
          extensions: [
            { id: this.midId, payload: Buffer.from(this.mid) },
            { id: this.ridId, payload: Buffer.from(layer.rid) },
          ],
        });
        await dtls.sendRtp(payloads[i], header);
      }
    }
  }

  /** Closes the peer. */
  async close(): Promise<void> {
    await this.pc.close();
  }
}

/** One RTP packet as a subscriber's track delivered it. */
export interface ReceivedRtp {
  /** SSRC on the wire (the consumer's). */
  ssrc: number;
  /** Sequence number. */
  sequenceNumber: number;
  /** Timestamp. */
  timestamp: number;
  /** Payload bytes. */
  payload: Buffer;
  /** The sdes:mid header extension as the subscriber decoded it with ITS negotiated id. */
  mid?: string;
}

/** How a test subscriber reaches the server: directly or through a worker's request channel. */
export interface SubscriberSignaling {
  /** The server's offer with every consumer. */
  createOffer(): Promise<string>;
  /** Hands our answer to the server. */
  processAnswer(sdp: string): Promise<void>;
  /** Registers the server's "renegotiate" notification. */
  onNegotiationNeeded(listener: () => void): void;
  /** True when the server has nothing left to negotiate. */
  settled(): boolean;
}

/** Options of a TestSubscriber. */
export interface TestSubscriberOptions {
  /** Send transport-cc feedback for every RTP packet (so the SFU's bandwidth estimate moves). */
  transportCc?: boolean;
  /** The video codec the subscriber's peer accepts (default VP8). */
  videoCodec?: TestVideoCodec;
}

/** A subscriber: a werift peer that answers the server's offers and records what its tracks receive. */
export class TestSubscriber {
  /** Received packets per SSRC, in arrival order. */
  readonly received = new Map<number, ReceivedRtp[]>();
  /** Negotiations completed. */
  negotiations = 0;
  /** RTP packets seen on the connection (every SSRC, RTX and probes included). */
  rtpPackets = 0;
  private running = false;
  private again = false;
  private failure: unknown;
  private twccTimer: NodeJS.Timeout | undefined;
  private lastOffer = '';

  private constructor(
    readonly pc: RTCPeerConnection,
    private readonly signaling: SubscriberSignaling,
    private readonly transport?: WebRtcTransport,
    private readonly options: TestSubscriberOptions = {},
  ) {
    signaling.onNegotiationNeeded(() => void this.negotiate());
    pc.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((rtp, extensions) => {
        const list = this.received.get(rtp.header.ssrc) ?? [];
        const mid = extensions?.[RTP_EXTENSION_URI.sdesMid];
        list.push({
          ssrc: rtp.header.ssrc,
          sequenceNumber: rtp.header.sequenceNumber,
          timestamp: rtp.header.timestamp,
          payload: Buffer.from(rtp.payload),
          mid: typeof mid === 'string' ? mid : undefined,
        });
        this.received.set(rtp.header.ssrc, list);
      });
    });
  }

  /** Attaches a fresh loopback peer to a server transport used for consuming. */
  static attach(transport: WebRtcTransport, options: TestSubscriberOptions = {}): TestSubscriber {
    return new TestSubscriber(
      loopbackPeer(options.videoCodec),
      {
        createOffer: async () => transport.createOffer(),
        processAnswer: (sdp) => transport.processAnswer(sdp),
        onNegotiationNeeded: (l) => transport.on('negotiationneeded', l),
        settled: () => transport.closed || (transport.signalingState === 'stable' && [...transport.consumers.values()].every((c) => c.negotiated)),
      },
      transport,
      options,
    );
  }

  /** Attaches a fresh loopback peer to a server reached through `signaling`. */
  static attachRemote(signaling: SubscriberSignaling): TestSubscriber {
    return new TestSubscriber(loopbackPeer(), signaling);
  }

  /** Packets received for a consumer SSRC. */
  packets(ssrc: number): ReceivedRtp[] {
    return this.received.get(ssrc) ?? [];
  }

  /** Waits until every offered consumer is negotiated and the connection is up. */
  async ready(): Promise<void> {
    await waitFor('subscriber negotiation', () => {
      if (this.failure) throw this.failure;
      return !this.running && this.negotiations > 0 && this.signaling.settled();
    });
    await waitFor('subscriber connection', () => this.pc.connectionState === 'connected' && (!this.transport || this.transport.dtlsState === 'connected'));
    if (this.options.transportCc && !this.twccTimer) this.startTransportCc();
  }

  /** Closes the peer. */
  async close(): Promise<void> {
    if (this.twccTimer) clearInterval(this.twccTimer);
    this.twccTimer = undefined;
    await this.pc.close();
  }

  /**
   * Correct per-connection transport-cc feedback (werift's own sends none that the SFU can use, see
   * notes/werift.md): every RTP packet's transport-wide sequence number and arrival time, reported
   * every 50 ms.
   */
  private startTransportCc(): void {
    const id = Number(/a=extmap:(\d+) http:\/\/www\.ietf\.org\/id\/draft-holmer-rmcat-transport-wide-cc-extensions-01/.exec(this.lastOffer)?.[1] ?? 0);
    const dtls = this.pc.dtlsTransports[0];
    if (!id || !dtls) return;
    const recorder = new TwccRecorder({ senderSsrc: 0x7e57 });
    dtls.onRtp.subscribe((rtp) => {
      this.rtpPackets++;
      const ext = rtp.header.extensions.find((e) => e.id === id);
      if (ext && ext.payload.length >= 2) recorder.record(ext.payload.readUInt16BE(0), performance.now() * 1000, rtp.header.ssrc);
    });
    this.twccTimer = setInterval(() => {
      if (!recorder.hasPending) return;
      const packets = recorder.buildFeedback().map((buf) => ({ serialize: () => buf }));
      void dtls.sendRtcp(packets as never).catch(() => undefined);
    }, 50);
  }

  private async negotiate(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        const offer = await this.signaling.createOffer();
        this.lastOffer = offer;
        await this.pc.setRemoteDescription({ type: 'offer', sdp: offer });
        await this.pc.setLocalDescription(await this.pc.createAnswer());
        await this.signaling.processAnswer(this.pc.localDescription!.sdp);
        this.negotiations++;
      } while (this.again && !this.transport?.closed);
    } catch (e) {
      this.failure = e;
    } finally {
      this.running = false;
    }
  }
}

/**
 * Waits until `sub` received as many packets on consumer SSRC `ssrc` as `sent` holds, then checks
 * it got exactly those: no more, contiguous sequence numbers, each payload identical.
 */
export async function expectEveryPacket(sub: TestSubscriber, ssrc: number, sent: readonly Buffer[], what: string): Promise<void> {
  await waitFor(what, () => sub.packets(ssrc).length >= sent.length);
  const got = sub.packets(ssrc);
  expect(got, what).toHaveLength(sent.length);
  expect(contiguous(got.map((p) => p.sequenceNumber)), `${what}: contiguous sequence numbers`).toBe(true);
  got.forEach((p, i) => expect(p.payload.equals(sent[i] as Buffer), `${what}: payload ${i}`).toBe(true));
}

/** True when `seqs` go up by one each (16-bit wrap allowed). */
export function contiguous(seqs: readonly number[]): boolean {
  for (let i = 1; i < seqs.length; i++) if (((seqs[i - 1] + 1) & 0xffff) !== seqs[i]) return false;
  return true;
}

/** Sequence numbers sorted in 16-bit wrap-aware order starting from the first one received. */
export function sortedSeqs(packets: readonly ReceivedRtp[]): number[] {
  if (packets.length === 0) return [];
  const first = packets[0].sequenceNumber;
  const unique = [...new Set(packets.map((p) => p.sequenceNumber))];
  const rel = (s: number) => ((((s - first) & 0xffff) << 16) >> 16);
  return unique.sort((a, b) => rel(a) - rel(b));
}
