/**
 * Writes our session descriptions (offers and answers) as SDP text. Everything about WHAT to say is
 * decided in sdp-negotiation.ts; this file only knows the line syntax (RFC 8866, 8829, 8843, 8853).
 */
import type { LocalTransportParams, NegotiatedCodec, RecvSectionParams, SendSectionParams } from './sdp-types';

/** How a section appears in one description. */
export type SectionView =
  | { type: 'recv'; mid: string; params: RecvSectionParams; direction: 'recvonly' | 'inactive' }
  | { type: 'send'; mid: string; params: SendSectionParams; direction: 'sendonly' | 'inactive'; /** No msid/SSRC lines (a closed section kept in the BUNDLE group). */ withoutStreams?: boolean }
  | { type: 'rejected'; mid: string; kind: string; protocol: string; format: string };

/** Session-level inputs of a description. */
export interface DescriptionView {
  /** Numeric session id (stable per transport). */
  sessionId: string;
  /** Session version (incremented per description). */
  version: number;
  /** Our ICE/DTLS parameters. */
  local: LocalTransportParams;
  /** a=setup value. */
  setup: 'actpass' | 'passive' | 'active';
  /** Announce a=extmap-allow-mixed. */
  extmapAllowMixed: boolean;
  /** Sections in m-line order. */
  sections: SectionView[];
}

/** Renders a complete description. */
export function writeDescription(d: DescriptionView): string {
  const lines: string[] = ['v=0', `o=- ${d.sessionId} ${d.version} IN IP4 0.0.0.0`, 's=-', 't=0 0', 'a=ice-lite'];
  const bundled = d.sections.filter((s) => s.type !== 'rejected').map((s) => s.mid);
  if (bundled.length > 0) lines.push(`a=group:BUNDLE ${bundled.join(' ')}`);
  if (d.extmapAllowMixed) lines.push('a=extmap-allow-mixed');
  lines.push('a=msid-semantic: WMS *');
  for (const s of d.sections) {
    if (s.type === 'rejected') lines.push(...rejectedLines(s));
    else lines.push(...mediaLines(d, s));
  }
  return lines.join('\r\n') + '\r\n';
}

function rejectedLines(s: Extract<SectionView, { type: 'rejected' }>): string[] {
  return [`m=${s.kind} 0 ${s.protocol} ${s.format}`, 'c=IN IP4 0.0.0.0', `a=mid:${s.mid}`, 'a=inactive'];
}

/** RFC 6544 §4.2: type preference 126 (host); local preference (direction 4 = passive) << 13 | 8191; component 1. */
const TCP_PASSIVE_PRIORITY = 126 * 2 ** 24 + ((4 << 13) | 8191) * 2 ** 8 + 255;

function transportLines(d: DescriptionView): string[] {
  const { local } = d;
  return [
    `a=ice-ufrag:${local.iceUfrag}`,
    `a=ice-pwd:${local.icePwd}`,
    `a=fingerprint:${local.fingerprint.algorithm} ${local.fingerprint.value}`,
    `a=setup:${d.setup}`,
    `a=candidate:1 1 udp 2130706431 ${local.candidate.ip} ${local.candidate.port} typ host`, // no generation: a restarted peer would ignore generation-0 candidates
    // RFC 6544: passive (we accept, the client connects); a lower local preference than UDP, so
    // clients fall back to it only when UDP does not get through. Port 9 is for active candidates.
    ...(local.tcpCandidate ? [`a=candidate:2 1 tcp ${TCP_PASSIVE_PRIORITY} ${local.tcpCandidate.ip} ${local.tcpCandidate.port} typ host tcptype passive`] : []),
    'a=end-of-candidates',
  ];
}

function mediaLines(d: DescriptionView, s: Extract<SectionView, { type: 'recv' | 'send' }>): string[] {
  const { codec, kind, extensions } = s.params;
  const pts = [codec.payloadType, ...(codec.rtxPayloadType !== undefined ? [codec.rtxPayloadType] : [])];
  const ipVersion = d.local.candidate.ip.includes(':') ? 'IP6' : 'IP4';
  const lines = [
    `m=${kind} 9 UDP/TLS/RTP/SAVPF ${pts.join(' ')}`,
    `c=IN ${ipVersion} ${d.local.candidate.ip}`,
    `a=mid:${s.mid}`,
    `a=${s.direction}`,
    ...transportLines(d),
    'a=rtcp-mux',
    // Reduced-size RTCP only where the peer asked for it (always offered on our own sections).
    ...(s.type === 'send' || s.params.rtcpRsize ? ['a=rtcp-rsize'] : []),
    ...extensions.map((e) => `a=extmap:${e.id} ${e.uri}`),
    ...codecLines(codec),
  ];
  if (s.type === 'recv') {
    const rids = s.params.encodings.map((e) => e.rid).filter((r): r is string => r !== undefined);
    if (rids.length > 0) {
      for (const rid of rids) lines.push(`a=rid:${rid} recv`);
      lines.push(`a=simulcast:recv ${rids.join(';')}`);
    }
  } else if (!s.withoutStreams) {
    const p = s.params;
    lines.push(`a=msid:${p.streamId} ${p.trackId}`);
    if (p.rtxSsrc !== undefined) lines.push(`a=ssrc-group:FID ${p.ssrc} ${p.rtxSsrc}`);
    lines.push(`a=ssrc:${p.ssrc} cname:${p.cname}`, `a=ssrc:${p.ssrc} msid:${p.streamId} ${p.trackId}`);
    if (p.rtxSsrc !== undefined) lines.push(`a=ssrc:${p.rtxSsrc} cname:${p.cname}`, `a=ssrc:${p.rtxSsrc} msid:${p.streamId} ${p.trackId}`);
  }
  return lines;
}

/** rtpmap / rtcp-fb / fmtp lines of a codec and its RTX. */
export function codecLines(codec: NegotiatedCodec): string[] {
  const name = codec.mimeType.split('/')[1];
  const lines = [`a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}${codec.channels && codec.channels > 1 ? `/${codec.channels}` : ''}`];
  for (const fb of codec.feedback) lines.push(`a=rtcp-fb:${codec.payloadType} ${fb.type}${fb.parameter ? ` ${fb.parameter}` : ''}`);
  const fmtp = Object.entries(codec.parameters)
    .map(([k, v]) => `${k}=${v}`)
    .join(';');
  if (fmtp.length > 0) lines.push(`a=fmtp:${codec.payloadType} ${fmtp}`);
  if (codec.rtxPayloadType !== undefined) {
    lines.push(`a=rtpmap:${codec.rtxPayloadType} rtx/${codec.clockRate}`, `a=fmtp:${codec.rtxPayloadType} apt=${codec.payloadType}`);
  }
  return lines;
}
