/**
 * Minimal SDP for the benchmark's counting subscribers: reads what a server offer says (ICE
 * credentials, loopback candidate, lite or full ICE, SSRCs per m-section) and writes a recvonly
 * answer with the bot's own ICE credentials and DTLS fingerprint (DTLS client, setup:active).
 * Enough for our SFU and for werift; not a general SDP implementation.
 */

/** What a bot needs from a server's offer. */
export interface OfferInfo {
  /** Server ICE ufrag. */
  ufrag: string;
  /** Server ICE password. */
  pwd: string;
  /** True when the server is ICE-lite (then the bot is controlling and nominates). */
  lite: boolean;
  /** Loopback UDP candidate of the server. */
  candidate: { ip: string; port: number };
  /** SSRCs announced per m-section kind. */
  ssrcs: { audio: number[]; video: number[] };
}

/** Bot-side parameters written into the answer. */
export interface AnswerParams {
  /** Bot ICE ufrag. */
  ufrag: string;
  /** Bot ICE password. */
  pwd: string;
  /** Bot DTLS fingerprint ("sha-256 AB:CD…"). */
  fingerprint: string;
  /** Bot UDP port on 127.0.0.1. */
  port: number;
}

/** Extracts the parts of an offer the bot uses. */
export function readOffer(sdp: string): OfferInfo {
  const lines = sdp.split(/\r?\n/);
  const value = (prefix: string) => lines.find((l) => l.startsWith(prefix))?.slice(prefix.length).trim();
  const ufrag = value('a=ice-ufrag:');
  const pwd = value('a=ice-pwd:');
  if (!ufrag || !pwd) throw new Error('offer without ICE credentials');
  let candidate: { ip: string; port: number } | undefined;
  for (const l of lines) {
    const m = /^a=candidate:\S+ 1 udp \d+ (\S+) (\d+) typ host/i.exec(l);
    if (m && (m[1] === '127.0.0.1' || !candidate)) candidate = { ip: m[1], port: Number(m[2]) };
    if (m && m[1] === '127.0.0.1') break;
  }
  if (!candidate) throw new Error('offer without a host candidate');
  const ssrcs = { audio: [] as number[], video: [] as number[] };
  let kind: 'audio' | 'video' | undefined;
  for (const l of lines) {
    if (l.startsWith('m=')) kind = l.startsWith('m=audio') ? 'audio' : l.startsWith('m=video') ? 'video' : undefined;
    const s = /^a=ssrc:(\d+) /.exec(l);
    if (s && kind) {
      const n = Number(s[1]);
      if (!ssrcs[kind].includes(n)) ssrcs[kind].push(n);
    }
  }
  return { ufrag, pwd, lite: lines.includes('a=ice-lite'), candidate, ssrcs };
}

const DROP = /^a=(ssrc|ssrc-group|msid|candidate|end-of-candidates|ice-ufrag|ice-pwd|ice-options|ice-lite|fingerprint|setup|sendonly|sendrecv|recvonly|inactive|rid|simulcast|msid-semantic)\b/;

/** A recvonly answer accepting every m-section of `offer` with its codecs and extensions. */
export function writeAnswer(offer: string, p: AnswerParams): string {
  const [session, ...sections] = offer.split(/\r?\n(?=m=)/);
  const out: string[] = [];
  for (const l of session.split(/\r?\n/)) {
    if (!l || DROP.test(l)) continue;
    out.push(l.startsWith('o=') ? 'o=- 1 1 IN IP4 127.0.0.1' : l);
  }
  out.push(`a=fingerprint:${p.fingerprint}`, 'a=setup:active', `a=ice-ufrag:${p.ufrag}`, `a=ice-pwd:${p.pwd}`);
  sections.forEach((section) => {
    for (const l of section.split(/\r?\n/)) {
      if (!l || DROP.test(l)) continue;
      out.push(l.startsWith('c=') ? 'c=IN IP4 127.0.0.1' : l);
    }
    out.push(`a=ice-ufrag:${p.ufrag}`, `a=ice-pwd:${p.pwd}`, `a=fingerprint:${p.fingerprint}`, 'a=setup:active', 'a=recvonly');
    out.push(`a=candidate:1 1 udp 2130706431 127.0.0.1 ${p.port} typ host`, 'a=end-of-candidates');
  });
  return `${out.join('\r\n')}\r\n`;
}
