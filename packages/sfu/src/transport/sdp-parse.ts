/**
 * Remote session descriptions → a small typed model, validated where it enters (DESIGN §5).
 * werift's SessionDescription.parse does the line-level work; this module bounds the input, adds
 * the few attributes werift skips (a=simulcast, a=rtcp-rsize, a=extmap-allow-mixed), and turns
 * werift's throw-anything behaviour into one MediaError('SDP_INVALID').
 */
import { SessionDescription } from 'werift';
import { MediaError } from './media-error';
import type { RtcpFeedback } from './rtp-capabilities';

/** Largest description accepted (a browser's offer with many sections is a few tens of KB). */
export const MAX_SDP_BYTES = 128 * 1024;
/** Most m-sections accepted in one description. */
export const MAX_MEDIA_SECTIONS = 128;
const MAX_CODECS = 64;
const MAX_SSRCS = 32;
const MAX_RIDS = 8;
const MAX_EXTENSIONS = 32;

/** An m-section's direction as the REMOTE side declares it. */
export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** A codec line set (rtpmap + fmtp + rtcp-fb) of a remote m-section. */
export interface RemoteCodec {
  /** Payload type. */
  payloadType: number;
  /** e.g. 'video/VP8' as written. */
  mimeType: string;
  /** Clock rate. */
  clockRate: number;
  /** Channels (audio). */
  channels?: number;
  /** fmtp key=value pairs (keys lower-case). */
  parameters: Record<string, string>;
  /** a=rtcp-fb entries. */
  feedback: RtcpFeedback[];
}

/** One m-section of a remote description. */
export interface RemoteMediaSection {
  /** Position in the description. */
  index: number;
  /** 'audio', 'video', 'application' or anything else (rejected later). */
  kind: string;
  /** a=mid (required with BUNDLE). */
  mid: string;
  /** Port of the m-line; 0 means rejected. */
  port: number;
  /** Transport protocol of the m-line. */
  protocol: string;
  /** The remote's direction. */
  direction: SdpDirection;
  /** Codecs in the remote's preference order. */
  codecs: RemoteCodec[];
  /** Header extensions (id as the remote uses it). */
  extensions: Array<{ id: number; uri: string }>;
  /** a=ssrc lines (one entry per SSRC). */
  ssrcs: Array<{ ssrc: number; cname?: string }>;
  /** a=ssrc-group lines. */
  ssrcGroups: Array<{ semantics: string; ssrcs: number[] }>;
  /** a=rid lines. */
  rids: Array<{ id: string; direction: 'send' | 'recv' }>;
  /** Rids of a=simulcast:send, lowest layer first as the sender lists them (paused '~' ones dropped). */
  simulcastSend: string[];
  /** a=msid value ("stream track"), if any. */
  msid?: string;
  /** a=rtcp-mux present. */
  rtcpMux: boolean;
  /** a=rtcp-rsize present. */
  rtcpRsize: boolean;
  /** a=sctp-port of a data-channel section. */
  sctpPort?: number;
}

/** DTLS role of the remote (a=setup). */
export type DtlsSetup = 'actpass' | 'active' | 'passive';

/** The remote's ICE credentials and certificate fingerprint. */
export interface RemoteTransportParams {
  /** Remote ICE username fragment. */
  iceUfrag: string;
  /** Remote ICE password. */
  icePwd: string;
  /** Remote certificate fingerprint (the strongest one offered). */
  fingerprint: { algorithm: string; value: string };
}

/** A parsed, validated remote description. */
export interface RemoteDescription {
  /** 'offer' or 'answer'. */
  type: 'offer' | 'answer';
  /** Remote ICE/DTLS parameters; undefined only when every m-section is rejected (port 0). */
  transport: RemoteTransportParams | undefined;
  /** Remote DTLS setup role. */
  setup: DtlsSetup;
  /** Mids of the BUNDLE group (empty when none). */
  bundleMids: string[];
  /** a=extmap-allow-mixed at session level. */
  extmapAllowMixed: boolean;
  /** m-sections in order. */
  sections: RemoteMediaSection[];
}

const FINGERPRINT_PREFERENCE = ['sha-512', 'sha-384', 'sha-256'];
const WERIFT_ROLE_TO_SETUP: Record<string, DtlsSetup> = { auto: 'actpass', client: 'active', server: 'passive' };

/** Parses and validates a remote description; throws MediaError('SDP_INVALID') on anything malformed. */
export function parseRemoteDescription(sdp: unknown, type: 'offer' | 'answer'): RemoteDescription {
  if (typeof sdp !== 'string' || sdp.length === 0) throw new MediaError('SDP_INVALID', 'Empty description.');
  if (sdp.length > MAX_SDP_BYTES) throw new MediaError('SDP_INVALID', 'Description too large.');
  if (!sdp.startsWith('v=0')) throw new MediaError('SDP_INVALID', 'Missing v=0.');
  const rawSections = splitSections(sdp);
  if (rawSections.length - 1 > MAX_MEDIA_SECTIONS) throw new MediaError('SDP_INVALID', 'Too many m-sections.');

  let parsed: SessionDescription;
  try {
    parsed = SessionDescription.parse(sdp);
  } catch {
    throw new MediaError('SDP_INVALID', 'Unparsable description.');
  }
  const sessionLines = rawSections[0];
  const bundle = parsed.group.find((g) => g.semantic === 'BUNDLE');
  const sections: RemoteMediaSection[] = [];
  let ice: { ufrag: string; pwd: string } | undefined;
  let fingerprint: { algorithm: string; value: string } | undefined;
  let setup: DtlsSetup | undefined;

  parsed.media.forEach((m, index) => {
    const lines = rawSections[index + 1] ?? [];
    const mid = m.rtp.muxId ?? '';
    if (mid.length === 0 || mid.length > 32 || !/^[A-Za-z0-9_.\-~+]+$/.test(mid)) throw new MediaError('SDP_INVALID', `m-section ${index} has no valid a=mid.`);
    if (sections.some((s) => s.mid === mid)) throw new MediaError('SDP_INVALID', `Duplicate mid ${mid}.`);
    if (m.port !== 0) {
      if (m.iceParams?.usernameFragment && m.iceParams.password && !ice) ice = { ufrag: m.iceParams.usernameFragment, pwd: m.iceParams.password };
      const fp = strongestFingerprint(m.dtlsParams?.fingerprints ?? []);
      if (fp && !fingerprint) fingerprint = fp;
      const role = m.dtlsParams?.role;
      if (role && !setup) setup = WERIFT_ROLE_TO_SETUP[role];
    }
    const codecs: RemoteCodec[] = m.rtp.codecs.slice(0, MAX_CODECS).map((c) => ({
      payloadType: c.payloadType,
      mimeType: c.mimeType,
      clockRate: c.clockRate,
      channels: c.channels,
      parameters: parseFmtp(c.parameters),
      feedback: c.rtcpFeedback.map((f) => (f.parameter ? { type: f.type, parameter: f.parameter } : { type: f.type })),
    }));
    for (const c of codecs) {
      if (!Number.isInteger(c.payloadType) || c.payloadType < 0 || c.payloadType > 127) throw new MediaError('SDP_INVALID', 'Bad payload type.');
      if (!Number.isFinite(c.clockRate) || c.clockRate <= 0) throw new MediaError('SDP_INVALID', 'Bad clock rate.');
    }
    const extensions = m.rtp.headerExtensions.slice(0, MAX_EXTENSIONS).filter((e) => Number.isInteger(e.id) && e.id >= 1 && e.id <= 255);
    const ssrcs = m.ssrc.slice(0, MAX_SSRCS).map((s) => ({ ssrc: s.ssrc >>> 0, cname: s.cname }));
    if (m.ssrc.some((s) => !Number.isInteger(s.ssrc) || s.ssrc < 0 || s.ssrc > 0xffffffff)) throw new MediaError('SDP_INVALID', 'Bad SSRC.');
    const ssrcGroups = m.ssrcGroup.slice(0, MAX_SSRCS).map((g) => ({ semantics: g.semantic, ssrcs: g.items.map((v) => Number(v) >>> 0) }));
    const rids = m.simulcastParameters
      .slice(0, MAX_RIDS)
      .filter((r) => /^[A-Za-z0-9_-]{1,16}$/.test(r.rid) && (r.direction === 'send' || r.direction === 'recv'))
      .map((r) => ({ id: r.rid, direction: r.direction }));
    sections.push({
      index,
      kind: m.kind,
      mid,
      port: m.port,
      protocol: m.profile,
      direction: (m.direction as SdpDirection | undefined) ?? 'sendrecv',
      codecs,
      extensions: extensions.map((e) => ({ id: e.id, uri: e.uri })),
      ssrcs,
      ssrcGroups,
      rids,
      simulcastSend: parseSimulcastSend(lines),
      msid: m.msid,
      rtcpMux: m.rtcpMux,
      rtcpRsize: lines.includes('a=rtcp-rsize'),
      sctpPort: m.sctpPort,
    });
  });

  if (sections.length === 0) throw new MediaError('SDP_INVALID', 'No m-section.');
  let transport: RemoteTransportParams | undefined;
  if (sections.some((s) => s.port !== 0)) {
    if (!ice) throw new MediaError('SDP_INVALID', 'Missing ICE credentials.');
    if (!/^[A-Za-z0-9+/]{4,256}$/.test(ice.ufrag) || !/^[A-Za-z0-9+/]{22,256}$/.test(ice.pwd)) throw new MediaError('SDP_INVALID', 'Bad ICE credentials.');
    if (!fingerprint) throw new MediaError('SDP_INVALID', 'Missing a supported DTLS fingerprint.');
    transport = { iceUfrag: ice.ufrag, icePwd: ice.pwd, fingerprint };
  }
  return {
    type,
    transport,
    setup: setup ?? 'actpass',
    bundleMids: bundle ? bundle.items.slice(0, MAX_MEDIA_SECTIONS) : [],
    extmapAllowMixed: parsed.extMapAllowMixed || sessionLines.includes('a=extmap-allow-mixed'),
    sections,
  };
}

/** Raw lines per block: [session lines, m-section 0 lines, …]. */
function splitSections(sdp: string): string[][] {
  const out: string[][] = [[]];
  for (const raw of sdp.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.length === 0) continue;
    if (line.startsWith('m=')) out.push([]);
    out[out.length - 1].push(line);
  }
  return out;
}

function parseFmtp(params: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!params) return out;
  for (const part of params.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    if (key.length > 0 && key.length <= 64) out[key] = part.slice(eq + 1).trim().slice(0, 256);
  }
  return out;
}

/** `a=simulcast:send l;m;h` (alternatives "a,b" keep the first, paused "~x" are dropped). */
function parseSimulcastSend(lines: readonly string[]): string[] {
  const line = lines.find((l) => l.startsWith('a=simulcast:'));
  if (!line) return [];
  const parts = line.slice('a=simulcast:'.length).trim().split(/\s+/);
  for (let i = 0; i + 1 < parts.length; i += 2) {
    if (parts[i] !== 'send') continue;
    return parts[i + 1]
      .split(';')
      .map((alt) => alt.split(',')[0])
      .filter((rid) => !rid.startsWith('~') && rid.length > 0)
      .slice(0, MAX_RIDS);
  }
  return [];
}

function strongestFingerprint(fps: ReadonlyArray<{ algorithm: string; value: string }>): { algorithm: string; value: string } | undefined {
  for (const alg of FINGERPRINT_PREFERENCE) {
    const fp = fps.find((f) => f.algorithm.toLowerCase() === alg);
    if (fp && /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})+$/.test(fp.value)) return { algorithm: alg, value: fp.value.toUpperCase() };
  }
  return undefined;
}
