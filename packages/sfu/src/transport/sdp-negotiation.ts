/**
 * The one place where SDP is munged: per transport (one BUNDLE), it decides which codec, RTX,
 * feedback and header extensions each m-section uses, keeps the bundle-wide payload-type and
 * extension-id tables consistent (one id per URI across all sections, as RFC 8843 requires), and
 * tracks the m-sections across renegotiations in both directions:
 *  - the remote offers (a publisher adds tracks)  → processOffer() → answer + new producer sections;
 *  - we offer (consumers were added or closed)     → createOffer() … processAnswer().
 * We are always ICE-lite and the DTLS role follows the remote's a=setup.
 */
import type { ExtensionMapping } from '../rtp/header-extensions';
import { MediaError } from './media-error';
import {
  type CodecCapability,
  findCodecCapability,
  findExtensionCapability,
  isSupportedFeedback,
  type MediaKind,
  normalizeMime,
  SUPPORTED_EXTENSIONS,
} from './rtp-capabilities';
import type { DtlsSetup, RemoteCodec, RemoteDescription, RemoteMediaSection } from './sdp-parse';
import type { LocalTransportParams, NegotiatedCodec, RecvEncoding, RecvSectionParams, SendSectionParams } from './sdp-types';
import { type SectionView, writeDescription } from './sdp-writer';

/** Our DTLS role once known. */
export type DtlsRole = 'server' | 'client';

/** Result of a remote offer. */
export interface OfferOutcome {
  /** Our answer. */
  answer: string;
  /** Sections the remote started sending on (new producers). */
  newRecv: RecvSectionParams[];
  /** Mids of producer sections the remote stopped. */
  stoppedRecv: string[];
  /** Mids of our consumer sections the remote rejected. */
  rejectedSend: string[];
}

/** Result of a remote answer to our offer. */
export interface AnswerOutcome {
  /** Consumer sections now negotiated, with the final parameters. */
  negotiatedSend: SendSectionParams[];
  /** Mids of consumer sections the remote rejected. */
  rejectedSend: string[];
  /** Mids of producer sections the remote stopped. */
  stoppedRecv: string[];
}

/** What a consumer section needs from its producer. */
export interface SendSectionSpec {
  /** Kind. */
  kind: MediaKind;
  /** The producer's codec (mime, clock rate, channels, fmtp) as the SFU supports it. */
  codec: CodecCapability;
  /** RTCP CNAME. */
  cname: string;
  /** Subscriber-side stream id. */
  streamId: string;
  /** Subscriber-side track id. */
  trackId: string;
}

type Slot =
  | { role: 'recv'; mid: string; kind: MediaKind; params: RecvSectionParams }
  | {
      role: 'send';
      mid: string;
      kind: MediaKind;
      params: SendSectionParams;
      negotiated: boolean;
      closed: boolean;
      /**
       * Closed, but kept in the BUNDLE group as an inactive section (real port, no SSRCs) because it
       * is the group's tagged (first) section: rejecting it moves a browser's bundle to a new
       * transport, and an offer left without a BUNDLE group is refused by a max-bundle browser
       * (Chrome: "max-bundle is used but no bundle group found"). Stays so, like mediasoup-client's
       * never-closed first section, until the remote rejects it.
       */
      parked?: boolean;
    }
  | { role: 'rejected'; mid: string; kind: string; protocol: string; format: string };

const NON_MEDIA_CODECS = new Set(['rtx', 'red', 'ulpfec', 'flexfec-03', 'cn', 'telephone-event']);
const DYNAMIC_PTS = [...Array.from({ length: 32 }, (_, i) => 96 + i), ...Array.from({ length: 29 }, (_, i) => 35 + i)];

/** Options of an SdpNegotiator. */
export interface SdpNegotiatorOptions {
  /** Video mime types in preference order when the remote offers several (default: the remote's order). */
  preferredVideoCodecs?: readonly string[];
  /** Called when the remote restarts ICE; returns our new credentials. */
  onIceRestart?: () => { iceUfrag: string; icePwd: string };
}

/** Per-transport SDP state machine (see file comment). */
export class SdpNegotiator {
  /** 'have-local-offer' between createOffer() and processAnswer(). */
  signalingState: 'stable' | 'have-local-offer' = 'stable';
  /** Our DTLS role, once a remote description fixed it. */
  dtlsRole: DtlsRole | undefined;
  /** The remote's ICE/DTLS parameters from the latest description. */
  remote: { iceUfrag: string; icePwd: string; fingerprint: { algorithm: string; value: string } } | undefined;
  private local: LocalTransportParams;
  private readonly options: SdpNegotiatorOptions;
  private readonly slots: Slot[] = [];
  private pendingSend: Array<Extract<Slot, { role: 'send' }>> = [];
  private readonly extIdByUri = new Map<string, number>();
  private readonly extUriById = new Map<number, string>();
  private readonly ptByKey = new Map<string, number>();
  private readonly usedPts = new Set<number>();
  private readonly usedSsrcs = new Set<number>();
  private readonly sessionId = String(Math.floor(Math.random() * 1e15));
  private version = 0;
  private extmapAllowMixed = false;
  /** Our credentials changed by restartIce() and not yet seen by the remote. */
  private localRestartPending = false;

  /** Starts with no m-sections. */
  constructor(local: LocalTransportParams, options: SdpNegotiatorOptions = {}) {
    this.local = local;
    this.options = options;
  }

  /** Our current ICE/DTLS parameters. */
  get localParams(): LocalTransportParams {
    return this.local;
  }

  /** ICE restart on our side: the next description we write carries these credentials. */
  restartIce(fresh: { iceUfrag: string; icePwd: string }): void {
    this.local = { ...this.local, iceUfrag: fresh.iceUfrag, icePwd: fresh.icePwd };
    this.localRestartPending = true;
  }

  /** True when consumer sections were added or closed since the last offer. */
  get needsNegotiation(): boolean {
    return this.pendingSend.length > 0 || this.slots.some((s) => s.role === 'send' && s.closed && !s.parked);
  }

  /** Mids in m-line order, for inspection and tests. */
  get mids(): string[] {
    return this.slots.map((s) => s.mid);
  }

  /** Header-extension ids of this bundle (URI → id). */
  get extensionIds(): ReadonlyMap<string, number> {
    return this.extIdByUri;
  }

  /** Applies a remote offer and writes our answer. */
  processOffer(remote: RemoteDescription): OfferOutcome {
    if (remote.type !== 'offer') throw new MediaError('NEGOTIATION_STATE', 'Expected an offer.');
    if (this.signalingState !== 'stable') throw new MediaError('NEGOTIATION_STATE', 'An offer of ours is pending.');
    if (remote.sections.length < this.slots.length) throw new MediaError('SDP_INVALID', 'm-sections were removed.');
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i];
      const rs = remote.sections[i];
      if (slot.mid !== rs.mid && slot.role !== 'rejected') throw new MediaError('SDP_INVALID', `m-section ${i} changed its mid.`);
      if (slot.mid === rs.mid && slot.kind !== rs.kind) throw new MediaError('SDP_INVALID', `m-section ${i} changed its kind.`);
    }
    this.checkRemote(remote);
    this.learnRemote(remote);
    if (remote.transport) this.fixRole(remote.setup === 'passive' ? 'client' : 'server');
    this.reserveRemoteIds(remote);

    const out: OfferOutcome = { answer: '', newRecv: [], stoppedRecv: [], rejectedSend: [] };
    const views: SectionView[] = [];
    remote.sections.forEach((rs, i) => {
      const existing = this.slots[i];
      let slot: Slot;
      if (!existing || (existing.role === 'rejected' && existing.mid !== rs.mid)) {
        // A new m-section, or the remote recycling a rejected one with a new mid.
        slot = this.newSlotFromOffer(rs);
        if (slot.role === 'recv') out.newRecv.push(slot.params);
        this.slots[i] = slot;
      } else slot = existing;

      if (slot.role === 'recv' && slot !== existing) views.push({ type: 'recv', mid: slot.mid, params: slot.params, direction: 'recvonly' });
      else if (slot.role === 'recv') {
        if (rs.port === 0 || rs.direction === 'recvonly' || rs.direction === 'inactive') {
          out.stoppedRecv.push(slot.mid);
          this.slots[i] = rejectedSlot(rs);
          views.push(rejectedView(this.slots[i] as Extract<Slot, { role: 'rejected' }>));
        } else views.push({ type: 'recv', mid: slot.mid, params: slot.params, direction: 'recvonly' });
      } else if (slot.role === 'send') {
        if (slot.parked && rs.port !== 0) views.push(parkedView(slot));
        else if (rs.port === 0 || slot.closed) {
          if (!slot.closed) out.rejectedSend.push(slot.mid);
          this.slots[i] = rejectedSlot(rs);
          views.push(rejectedView(this.slots[i] as Extract<Slot, { role: 'rejected' }>));
        } else {
          const receives = rs.direction === 'recvonly' || rs.direction === 'sendrecv';
          views.push({ type: 'send', mid: slot.mid, params: slot.params, direction: receives ? 'sendonly' : 'inactive' });
        }
      } else views.push(rejectedView(slot));
    });
    this.extmapAllowMixed = remote.extmapAllowMixed;
    out.answer = this.write(views, this.dtlsRole === 'client' ? 'active' : 'passive');
    return out;
  }

  /**
   * Reserves a consumer section (a=mid, payload types, extension ids, SSRCs) to be offered by the
   * next createOffer(). Returns the parameters as they will be offered.
   */
  addSendSection(spec: SendSectionSpec): SendSectionParams {
    const mid = this.nextMid();
    const cap = spec.codec;
    const pt = this.payloadTypeFor(codecKey(cap.mimeType, cap.clockRate, cap.channels, cap.parameters), cap.preferredPayloadType);
    const rtxPt =
      spec.kind === 'video' && cap.preferredRtxPayloadType !== undefined ? this.payloadTypeFor(`rtx/${cap.clockRate}/apt=${pt}`, cap.preferredRtxPayloadType) : undefined;
    const codec: NegotiatedCodec = {
      payloadType: pt,
      mimeType: cap.mimeType,
      clockRate: cap.clockRate,
      channels: cap.channels,
      parameters: { ...cap.parameters },
      feedback: cap.rtcpFeedback.map((f) => ({ ...f })),
      rtxPayloadType: rtxPt,
    };
    const extensions: ExtensionMapping[] = SUPPORTED_EXTENSIONS.filter((e) => e.send && e.kinds.includes(spec.kind)).map((e) => ({
      uri: e.uri,
      id: this.extensionIdFor(e.uri, e.preferredId),
    }));
    const params: SendSectionParams = {
      mid,
      kind: spec.kind,
      codec,
      extensions,
      ssrc: this.newSsrc(),
      rtxSsrc: rtxPt !== undefined ? this.newSsrc() : undefined,
      cname: spec.cname,
      streamId: spec.streamId,
      trackId: spec.trackId,
    };
    this.pendingSend.push({ role: 'send', mid, kind: spec.kind, params, negotiated: false, closed: false });
    return params;
  }

  /** Marks a consumer section closed: it is rejected (port 0) in the next offer. */
  closeSendSection(mid: string): void {
    const pending = this.pendingSend.findIndex((s) => s.mid === mid);
    if (pending >= 0) {
      this.pendingSend.splice(pending, 1);
      return;
    }
    const slot = this.slots.find((s) => s.mid === mid);
    if (slot?.role === 'send') slot.closed = true;
  }

  /** Writes our offer with every section (pending consumers appended). */
  createOffer(): string {
    if (this.signalingState !== 'stable') throw new MediaError('NEGOTIATION_STATE', 'An offer is already pending.');
    this.slots.push(...this.pendingSend);
    this.pendingSend = [];
    // RFC 8843 / JSEP: a port-0 section leaves the BUNDLE group. The group's first (tagged) section
    // is never rejected: the bundle's transport is that section's, and Chrome, seeing it rejected,
    // moves the bundle to a new transport (new DTLS) and receives nothing more on this one (checked
    // against Chromium); nor may the group become empty (max-bundle refuses that offer). So the
    // tagged section, once closed, stays in the group as inactive (see Slot.parked), as
    // mediasoup-client keeps its first section.
    const tag = this.slots.find((s) => s.role !== 'rejected');
    if (tag?.role === 'send' && tag.closed) tag.parked = true;
    const views: SectionView[] = this.slots.map((slot, i) => {
      if (slot.role === 'recv') return { type: 'recv', mid: slot.mid, params: slot.params, direction: 'recvonly' };
      if (slot.role === 'send') {
        if (slot.parked) return parkedView(slot);
        if (!slot.closed) return { type: 'send', mid: slot.mid, params: slot.params, direction: 'sendonly' };
        this.slots[i] = { role: 'rejected', mid: slot.mid, kind: slot.kind, protocol: 'UDP/TLS/RTP/SAVPF', format: String(slot.params.codec.payloadType) };
      }
      return rejectedView(this.slots[i] as Extract<Slot, { role: 'rejected' }>);
    });
    this.signalingState = 'have-local-offer';
    return this.write(views, this.dtlsRole === 'server' ? 'passive' : this.dtlsRole === 'client' ? 'active' : 'actpass');
  }

  /** Applies the remote answer to our last offer. */
  processAnswer(remote: RemoteDescription): AnswerOutcome {
    if (remote.type !== 'answer') throw new MediaError('NEGOTIATION_STATE', 'Expected an answer.');
    if (this.signalingState !== 'have-local-offer') throw new MediaError('NEGOTIATION_STATE', 'No offer of ours is pending.');
    if (remote.sections.length !== this.slots.length) throw new MediaError('SDP_INVALID', 'The answer does not match the offer.');
    remote.sections.forEach((rs, i) => {
      if (rs.mid !== this.slots[i].mid) throw new MediaError('SDP_INVALID', `m-section ${i} changed its mid.`);
    });
    if (remote.setup === 'actpass' && remote.transport) throw new MediaError('SDP_INVALID', 'An answer cannot use a=setup:actpass.');
    this.checkRemote(remote);
    this.learnRemote(remote);
    if (remote.transport) this.fixRole(remote.setup === 'active' ? 'server' : 'client');
    const out: AnswerOutcome = { negotiatedSend: [], rejectedSend: [], stoppedRecv: [] };
    remote.sections.forEach((rs, i) => {
      const slot = this.slots[i];
      if (slot.role === 'send') {
        const final = rs.port === 0 ? undefined : negotiateSend(slot.params, rs);
        if (!final) {
          out.rejectedSend.push(slot.mid);
          this.slots[i] = rejectedSlot(rs);
        } else if (!slot.negotiated && !slot.closed) {
          slot.negotiated = true;
          slot.params = final;
          out.negotiatedSend.push(final);
        }
      } else if (slot.role === 'recv' && (rs.port === 0 || rs.direction === 'recvonly' || rs.direction === 'inactive')) {
        out.stoppedRecv.push(slot.mid);
        this.slots[i] = rejectedSlot(rs);
      }
    });
    this.signalingState = 'stable';
    return out;
  }

  private write(views: SectionView[], setup: DtlsSetup): string {
    this.version++;
    return writeDescription({ sessionId: this.sessionId, version: this.version, local: this.local, setup, extmapAllowMixed: this.extmapAllowMixed, sections: views });
  }

  /** Validates the remote's transport parameters; call before changing any state. */
  private checkRemote(remote: RemoteDescription): void {
    const t = remote.transport;
    if (!t) return;
    if (this.remote && (this.remote.fingerprint.value !== t.fingerprint.value || this.remote.fingerprint.algorithm !== t.fingerprint.algorithm)) {
      throw new MediaError('SDP_INVALID', 'The DTLS certificate cannot change on a running transport.');
    }
  }

  private learnRemote(remote: RemoteDescription): void {
    const t = remote.transport;
    if (!t) return; // everything rejected: nothing to learn
    // A remote restart after one of ours already has fresh credentials: do not roll them again.
    const restartedByUs = this.localRestartPending;
    this.localRestartPending = false;
    if (this.remote && this.remote.iceUfrag !== t.iceUfrag && !restartedByUs && this.options.onIceRestart) {
      const fresh = this.options.onIceRestart();
      this.local = { ...this.local, iceUfrag: fresh.iceUfrag, icePwd: fresh.icePwd };
    }
    this.remote = { iceUfrag: t.iceUfrag, icePwd: t.icePwd, fingerprint: t.fingerprint };
  }

  private fixRole(role: DtlsRole): void {
    if (this.dtlsRole === undefined) this.dtlsRole = role;
  }

  private reserveRemoteIds(remote: RemoteDescription): void {
    for (const s of remote.sections) {
      if (s.port === 0) continue;
      for (const c of s.codecs) this.usedPts.add(c.payloadType);
      for (const e of s.extensions) {
        if (this.extIdByUri.has(e.uri) || this.extUriById.has(e.id)) continue;
        this.extIdByUri.set(e.uri, e.id);
        this.extUriById.set(e.id, e.uri);
      }
      for (const c of s.codecs) {
        const cap = findCodecCapability(s.kind, c.mimeType, c.clockRate, c.parameters);
        if (!cap) continue;
        const key = codecKey(cap.mimeType, cap.clockRate, cap.channels, cap.parameters);
        if (!this.ptByKey.has(key)) this.ptByKey.set(key, c.payloadType);
        const rtx = s.codecs.find((r) => r.mimeType.toLowerCase().endsWith('/rtx') && r.parameters.apt === String(c.payloadType));
        if (rtx && !this.ptByKey.has(`rtx/${c.clockRate}/apt=${c.payloadType}`)) this.ptByKey.set(`rtx/${c.clockRate}/apt=${c.payloadType}`, rtx.payloadType);
      }
      for (const ssrc of s.ssrcs) this.usedSsrcs.add(ssrc.ssrc);
    }
  }

  private newSlotFromOffer(rs: RemoteMediaSection): Slot {
    if (rs.port === 0 || (rs.kind !== 'audio' && rs.kind !== 'video')) return rejectedSlot(rs);
    if (rs.direction !== 'sendonly' && rs.direction !== 'sendrecv') return rejectedSlot(rs);
    const params = this.recvParams(rs);
    return params ? { role: 'recv', mid: rs.mid, kind: rs.kind, params } : rejectedSlot(rs);
  }

  private recvParams(rs: RemoteMediaSection): RecvSectionParams | undefined {
    const kind = rs.kind as MediaKind;
    const candidates = rs.codecs.filter((c) => !NON_MEDIA_CODECS.has(codecName(c)));
    const prefs = kind === 'video' ? (this.options.preferredVideoCodecs ?? []).map(normalizeMime) : [];
    const rank = (c: RemoteCodec) => {
      const i = prefs.indexOf(normalizeMime(c.mimeType));
      return i < 0 ? prefs.length : i;
    };
    const ordered = prefs.length > 0 ? [...candidates].sort((a, b) => rank(a) - rank(b)) : candidates;
    let chosen: { remote: RemoteCodec; cap: CodecCapability } | undefined;
    for (const c of ordered) {
      const cap = findCodecCapability(kind, c.mimeType, c.clockRate, c.parameters);
      if (cap) {
        chosen = { remote: c, cap };
        break;
      }
    }
    if (!chosen) return undefined;
    const { remote: rc, cap } = chosen;
    const rtx = kind === 'video' ? rs.codecs.find((r) => codecName(r) === 'rtx' && r.parameters.apt === String(rc.payloadType)) : undefined;
    const codec: NegotiatedCodec = {
      payloadType: rc.payloadType,
      mimeType: cap.mimeType,
      clockRate: cap.clockRate,
      channels: cap.channels,
      parameters: { ...cap.parameters },
      feedback: rc.feedback.filter(isSupportedFeedback),
      rtxPayloadType: rtx?.payloadType,
    };
    const extensions = rs.extensions.filter((e) => findExtensionCapability(kind, e.uri) !== undefined).map((e) => ({ id: e.id, uri: e.uri }));
    return { mid: rs.mid, kind, codec, extensions, encodings: recvEncodings(rs), cname: rs.ssrcs.find((s) => s.cname)?.cname, msid: rs.msid, rtcpRsize: rs.rtcpRsize };
  }

  private nextMid(): string {
    const used = new Set([...this.slots.map((s) => s.mid), ...this.pendingSend.map((s) => s.mid)]);
    let n = this.slots.length + this.pendingSend.length;
    while (used.has(String(n))) n++;
    return String(n);
  }

  private payloadTypeFor(key: string, preferred: number): number {
    const known = this.ptByKey.get(key);
    if (known !== undefined) return known;
    const pt = !this.usedPts.has(preferred) ? preferred : DYNAMIC_PTS.find((p) => !this.usedPts.has(p));
    if (pt === undefined) throw new MediaError('LIMIT_REACHED', 'No payload type left in this bundle.');
    this.usedPts.add(pt);
    this.ptByKey.set(key, pt);
    return pt;
  }

  private extensionIdFor(uri: string, preferred: number): number {
    const known = this.extIdByUri.get(uri);
    if (known !== undefined) return known;
    let id = preferred;
    if (this.extUriById.has(id)) {
      id = 1;
      while (id <= 14 && this.extUriById.has(id)) id++;
      if (id > 14) throw new MediaError('LIMIT_REACHED', 'No header-extension id left in this bundle.');
    }
    this.extIdByUri.set(uri, id);
    this.extUriById.set(id, uri);
    return id;
  }

  private newSsrc(): number {
    let ssrc: number;
    do ssrc = (Math.random() * 0xfffffffe + 1) >>> 0;
    while (this.usedSsrcs.has(ssrc));
    this.usedSsrcs.add(ssrc);
    return ssrc;
  }
}

/** The consumer section's final parameters from the remote's answer, or undefined when rejected. */
function negotiateSend(offered: SendSectionParams, rs: RemoteMediaSection): SendSectionParams | undefined {
  const answered = rs.codecs.find((c) => c.payloadType === offered.codec.payloadType);
  if (!answered || normalizeMime(answered.mimeType) !== normalizeMime(offered.codec.mimeType)) return undefined;
  const feedback = offered.codec.feedback.filter((f) => answered.feedback.some((a) => a.type === f.type && (a.parameter ?? '') === (f.parameter ?? '')));
  const rtxKept =
    offered.codec.rtxPayloadType !== undefined &&
    rs.codecs.some((c) => c.payloadType === offered.codec.rtxPayloadType && codecName(c) === 'rtx') &&
    feedback.some((f) => f.type === 'nack' && !f.parameter);
  const extensions = offered.extensions.filter((e) => rs.extensions.some((a) => a.uri === e.uri && a.id === e.id));
  return {
    ...offered,
    codec: { ...offered.codec, feedback, rtxPayloadType: rtxKept ? offered.codec.rtxPayloadType : undefined },
    extensions,
    rtxSsrc: rtxKept ? offered.rtxSsrc : undefined,
  };
}

/** Streams of a producer section: simulcast rids (lowest first), a SIM group, or one stream. */
function recvEncodings(rs: RemoteMediaSection): RecvEncoding[] {
  const sendRids = rs.rids.filter((r) => r.direction === 'send').map((r) => r.id);
  if (sendRids.length > 0) {
    const order = rs.simulcastSend.length > 0 ? rs.simulcastSend.filter((id) => sendRids.includes(id)) : sendRids;
    return order.map((rid) => ({ rid }));
  }
  const fid = rs.ssrcGroups.filter((g) => g.semantics === 'FID' && g.ssrcs.length === 2);
  const rtxOf = (ssrc: number) => fid.find((g) => g.ssrcs[0] === ssrc)?.ssrcs[1];
  const sim = rs.ssrcGroups.find((g) => g.semantics === 'SIM');
  if (sim) return sim.ssrcs.map((ssrc) => ({ ssrc, rtxSsrc: rtxOf(ssrc) }));
  const rtxSsrcs = new Set(fid.map((g) => g.ssrcs[1]));
  const primary = rs.ssrcs.find((s) => !rtxSsrcs.has(s.ssrc));
  return [primary ? { ssrc: primary.ssrc, rtxSsrc: rtxOf(primary.ssrc) } : {}];
}

function codecName(c: { mimeType: string }): string {
  return c.mimeType.slice(c.mimeType.indexOf('/') + 1).toLowerCase();
}

/** Identity of a codec configuration within a bundle's payload-type table. */
function codecKey(mime: string, clockRate: number, channels: number | undefined, params: Record<string, string>): string {
  const base = `${normalizeMime(mime)}/${clockRate}/${channels ?? 1}`;
  return normalizeMime(mime) === 'video/h264' ? `${base};${params['profile-level-id']};${params['packetization-mode']}` : base;
}

function rejectedSlot(rs: RemoteMediaSection): Extract<Slot, { role: 'rejected' }> {
  const format = rs.kind === 'application' ? 'webrtc-datachannel' : String(rs.codecs[0]?.payloadType ?? 0);
  return { role: 'rejected', mid: rs.mid, kind: rs.kind, protocol: rs.protocol, format };
}

function parkedView(slot: Extract<Slot, { role: 'send' }>): SectionView {
  return { type: 'send', mid: slot.mid, params: slot.params, direction: 'inactive', withoutStreams: true };
}

function rejectedView(slot: Extract<Slot, { role: 'rejected' }>): SectionView {
  return { type: 'rejected', mid: slot.mid, kind: slot.kind, protocol: slot.protocol, format: slot.format };
}
