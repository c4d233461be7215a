import { describe, expect, it } from 'vitest';
import { RtpExtensionUri } from '../rtp/header-extensions';
import { MediaError } from './media-error';
import { SUPPORTED_CODECS } from './rtp-capabilities';
import { parseRemoteDescription } from './sdp-parse';
import { SdpNegotiator } from './sdp-negotiation';
import type { LocalTransportParams } from './sdp-types';

const FP = 'sha-256 ' + Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':');
const LOCAL: LocalTransportParams = {
  iceUfrag: 'srvufrag',
  icePwd: 'serverpassword0123456789',
  fingerprint: { algorithm: 'sha-256', value: 'AA:BB' },
  candidate: { ip: '203.0.113.7', port: 40000 },
};

/** A browser-like publisher offer: Opus with audio level, VP8 + H264 (two profiles) with RTX, simulcast l/m/h. */
function publisherOffer(opts: { ufrag?: string; extraSection?: string } = {}): string {
  const t = [
    'v=0',
    'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1' + (opts.extraSection ? ' 2' : ''),
    'a=extmap-allow-mixed',
    'a=msid-semantic: WMS stream',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9',
    'c=IN IP4 0.0.0.0',
    `a=ice-ufrag:${opts.ufrag ?? 'cliX'}`,
    'a=ice-pwd:clientpassword0123456789',
    'a=ice-options:trickle',
    `a=fingerprint:${FP}`,
    'a=setup:actpass',
    'a=mid:0',
    'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
    'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
    'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
    'a=sendonly',
    'a=msid:stream mic',
    'a=rtcp-mux',
    'a=rtcp-rsize',
    'a=rtpmap:111 opus/48000/2',
    'a=rtcp-fb:111 transport-cc',
    'a=fmtp:111 minptime=10;useinbandfec=1',
    'a=rtpmap:63 red/48000/2',
    'a=fmtp:63 111/111',
    'a=rtpmap:9 G722/8000',
    'a=ssrc:1111 cname:publisher-cname',
    'm=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 105',
    'c=IN IP4 0.0.0.0',
    `a=ice-ufrag:${opts.ufrag ?? 'cliX'}`,
    'a=ice-pwd:clientpassword0123456789',
    `a=fingerprint:${FP}`,
    'a=setup:actpass',
    'a=mid:1',
    'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
    'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
    'a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
    'a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
    'a=extmap:12 http://www.webrtc.org/experiments/rtp-hdrext/video-content-type',
    'a=sendonly',
    'a=msid:stream cam',
    'a=rtcp-mux',
    'a=rtcp-rsize',
    'a=rtpmap:96 VP8/90000',
    'a=rtcp-fb:96 goog-remb',
    'a=rtcp-fb:96 transport-cc',
    'a=rtcp-fb:96 ccm fir',
    'a=rtcp-fb:96 nack',
    'a=rtcp-fb:96 nack pli',
    'a=rtcp-fb:96 rrtr',
    'a=rtpmap:97 rtx/90000',
    'a=fmtp:97 apt=96',
    'a=rtpmap:102 H264/90000',
    'a=rtcp-fb:102 nack',
    'a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f',
    'a=rtpmap:103 rtx/90000',
    'a=fmtp:103 apt=102',
    'a=rtpmap:104 H264/90000',
    'a=rtcp-fb:104 nack',
    'a=rtcp-fb:104 nack pli',
    'a=fmtp:104 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
    'a=rtpmap:105 rtx/90000',
    'a=fmtp:105 apt=104',
    'a=rid:l send',
    'a=rid:m send',
    'a=rid:h send',
    'a=simulcast:send l;m;h',
  ];
  if (opts.extraSection) t.push(opts.extraSection);
  return t.join('\r\n') + '\r\n';
}

function subscriberAnswerFor(offer: string, opts: { dropTransportCc?: boolean; rejectMid?: string } = {}): string {
  // A minimal answerer: echo each section, flip directions, keep our ids, optionally drop an extension.
  const lines = offer.split('\r\n').filter((l) => l.length > 0);
  const out: string[] = [];
  let rejected = false;
  for (const l of lines) {
    if (l.startsWith('m=')) rejected = false;
    if (l.startsWith('a=mid:') && opts.rejectMid === l.slice(6)) {
      rejected = true;
      const m = out.map((x, i) => [x, i] as const).filter(([x]) => x.startsWith('m=')).pop();
      if (m) out[m[1]] = m[0].replace(/^(m=\w+) 9 /, '$1 0 ');
    }
    if (rejected && l.startsWith('a=ssrc')) continue;
    if (l === 'a=ice-lite' || l.startsWith('a=candidate') || l === 'a=end-of-candidates' || l.startsWith('a=ssrc')) continue;
    if (l.startsWith('a=ice-ufrag')) out.push('a=ice-ufrag:subX');
    else if (l.startsWith('a=ice-pwd')) out.push('a=ice-pwd:subscriberpassword012345');
    else if (l.startsWith('a=fingerprint')) out.push(`a=fingerprint:${FP}`);
    else if (l.startsWith('a=setup')) out.push('a=setup:active');
    else if (l === 'a=sendonly') out.push('a=recvonly');
    else if (opts.dropTransportCc && l.includes('transport-wide-cc')) continue;
    else if (l.startsWith('a=msid:')) continue;
    else out.push(l);
  }
  return out.join('\r\n') + '\r\n';
}

describe('SdpNegotiator answering a publisher offer', () => {
  it('answers with ice-lite, passive DTLS, our candidate, and only Opus / VP8 with supported feedback and extensions', () => {
    const n = new SdpNegotiator(LOCAL);
    const { answer, newRecv } = n.processOffer(parseRemoteDescription(publisherOffer(), 'offer'));
    expect(answer).toContain('a=ice-lite');
    expect(answer).toContain('a=setup:passive');
    expect(answer).toContain('a=candidate:1 1 udp 2130706431 203.0.113.7 40000 typ host');
    expect(answer).toContain('a=group:BUNDLE 0 1');
    expect(answer).toMatch(/m=audio 9 UDP\/TLS\/RTP\/SAVPF 111\r\n/);
    expect(answer).toMatch(/m=video 9 UDP\/TLS\/RTP\/SAVPF 96 97\r\n/);
    expect(answer).not.toContain('G722');
    expect(answer).not.toContain('rrtr');
    expect(answer).not.toContain('video-content-type');
    expect(answer).toContain('a=rtcp-fb:96 transport-cc');
    expect(answer).toContain('a=rtcp-fb:96 nack pli');
    expect(answer).toContain('a=rid:l recv');
    expect(answer).toContain('a=simulcast:recv l;m;h');
    expect(n.dtlsRole).toBe('server');

    expect(newRecv).toHaveLength(2);
    const [audio, video] = newRecv;
    expect(audio).toMatchObject({ mid: '0', kind: 'audio', codec: { payloadType: 111, mimeType: 'audio/opus' }, encodings: [{ ssrc: 1111 }], cname: 'publisher-cname' });
    expect(audio.extensions.map((e) => e.uri).sort()).toEqual([RtpExtensionUri.audioLevel, RtpExtensionUri.mid, RtpExtensionUri.transportWideCc].sort());
    expect(video.codec).toMatchObject({ payloadType: 96, rtxPayloadType: 97 });
    expect(video.encodings).toEqual([{ rid: 'l' }, { rid: 'm' }, { rid: 'h' }]);
    expect(video.extensions.find((e) => e.uri === RtpExtensionUri.rtpStreamId)?.id).toBe(10);
  });

  it('pins H264 to profile-level-id 42e01f: a 42001f offer is never chosen', () => {
    const n = new SdpNegotiator(LOCAL, { preferredVideoCodecs: ['video/H264'] });
    const { answer, newRecv } = n.processOffer(parseRemoteDescription(publisherOffer(), 'offer'));
    expect(newRecv[1].codec).toMatchObject({ payloadType: 104, mimeType: 'video/H264', rtxPayloadType: 105 });
    expect(newRecv[1].codec.parameters['profile-level-id']).toBe('42e01f');
    expect(answer).toMatch(/m=video 9 UDP\/TLS\/RTP\/SAVPF 104 105\r\n/);
    expect(answer).not.toMatch(/a=rtpmap:102 /);
  });

  it('rejects sections it cannot handle (data channel, no supported codec) with port 0 outside the bundle', () => {
    const extra = [
      'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
      'c=IN IP4 0.0.0.0',
      'a=mid:2',
      'a=sctp-port:5000',
    ].join('\r\n');
    const n = new SdpNegotiator(LOCAL);
    const { answer, newRecv } = n.processOffer(parseRemoteDescription(publisherOffer({ extraSection: extra }), 'offer'));
    expect(newRecv).toHaveLength(2);
    expect(answer).toContain('m=application 0 UDP/DTLS/SCTP webrtc-datachannel');
    expect(answer).toContain('a=group:BUNDLE 0 1\r\n');
  });

  it('reports a producer section the publisher stops in a re-offer, and keeps the others', () => {
    const n = new SdpNegotiator(LOCAL);
    n.processOffer(parseRemoteDescription(publisherOffer(), 'offer'));
    const reoffer = publisherOffer().replace('a=msid:stream mic', 'a=msid:stream mic').replace(/a=sendonly(\r\na=msid:stream mic)/, 'a=inactive$1');
    const out = n.processOffer(parseRemoteDescription(reoffer, 'offer'));
    expect(out.stoppedRecv).toEqual(['0']);
    expect(out.newRecv).toEqual([]);
    expect(out.answer).toMatch(/m=audio 0 /);
  });

  it('refuses garbage, oversized and inconsistent descriptions with SDP_INVALID', () => {
    const bad = ['', 'hello', 'v=0\r\nm=audio\r\n', 'v=0\r\n' + 'a=x\r\n'.repeat(40000), publisherOffer().replace(/a=fingerprint:[^\r]+\r\n/g, ''), publisherOffer().replace(/a=ice-pwd:[^\r]+\r\n/g, '')];
    for (const sdp of bad) {
      expect(() => parseRemoteDescription(sdp, 'offer')).toThrow(MediaError);
      try {
        parseRemoteDescription(sdp, 'offer');
      } catch (e) {
        expect((e as MediaError).code).toBe('SDP_INVALID');
      }
    }
    const n = new SdpNegotiator(LOCAL);
    n.processOffer(parseRemoteDescription(publisherOffer(), 'offer'));
    const reordered = publisherOffer().replace('a=mid:1', 'a=mid:7').replace('a=group:BUNDLE 0 1', 'a=group:BUNDLE 0 7');
    expect(() => n.processOffer(parseRemoteDescription(reordered, 'offer'))).toThrow(/changed its mid/);
    expect(() => n.processAnswer(parseRemoteDescription(publisherOffer(), 'answer'))).toThrow(MediaError);
  });
});

describe('SdpNegotiator offering consumers', () => {
  const vp8 = SUPPORTED_CODECS.find((c) => c.mimeType === 'video/VP8')!;
  const opus = SUPPORTED_CODECS.find((c) => c.mimeType === 'audio/opus')!;

  it('offers actpass sections with SSRC, RTX group, msid and the bundle ids, then negotiates what the answer kept', () => {
    const n = new SdpNegotiator(LOCAL);
    const a = n.addSendSection({ kind: 'audio', codec: opus, cname: 'c1', streamId: 'st', trackId: 'ta' });
    const v = n.addSendSection({ kind: 'video', codec: vp8, cname: 'c1', streamId: 'st', trackId: 'tv' });
    expect(n.needsNegotiation).toBe(true);
    const offer = n.createOffer();
    expect(n.signalingState).toBe('have-local-offer');
    expect(offer).toContain('a=setup:actpass');
    expect(offer).toContain(`a=ssrc-group:FID ${v.ssrc} ${v.rtxSsrc}`);
    expect(offer).toContain(`a=ssrc:${a.ssrc} cname:c1`);
    expect(offer).toContain('a=msid:st tv');
    expect(offer).toContain(`a=extmap:3 ${RtpExtensionUri.transportWideCc}`);
    expect(offer).not.toContain(RtpExtensionUri.rtpStreamId);
    const { negotiatedSend, rejectedSend } = n.processAnswer(parseRemoteDescription(subscriberAnswerFor(offer, { dropTransportCc: true }), 'answer'));
    expect(rejectedSend).toEqual([]);
    expect(negotiatedSend.map((s) => s.mid)).toEqual([a.mid, v.mid]);
    expect(negotiatedSend[1].extensions.some((e) => e.uri === RtpExtensionUri.transportWideCc)).toBe(false);
    expect(negotiatedSend[1].rtxSsrc).toBe(v.rtxSsrc);
    expect(n.dtlsRole).toBe('server');
    expect(n.needsNegotiation).toBe(false);
  });

  it('uses the publisher\'s ids for the same URIs in the same bundle, and free ids for new ones', () => {
    const n = new SdpNegotiator(LOCAL);
    n.processOffer(parseRemoteDescription(publisherOffer(), 'offer'));
    const s = n.addSendSection({ kind: 'video', codec: vp8, cname: 'c', streamId: 's', trackId: 't' });
    const ids = new Map(s.extensions.map((e) => [e.uri, e.id]));
    expect(ids.get(RtpExtensionUri.transportWideCc)).toBe(3);
    expect(ids.get(RtpExtensionUri.mid)).toBe(4);
    // abs-send-time prefers id 2 (free); video-orientation prefers 13 (free).
    expect(ids.get(RtpExtensionUri.absSendTime)).toBe(2);
    expect(new Set(ids.values()).size).toBe(ids.size);
    // VP8 keeps the publisher's payload type 96 in this bundle.
    expect(s.codec.payloadType).toBe(96);
    expect(s.mid).toBe('2');
    const offer = n.createOffer();
    expect(offer).toContain('a=group:BUNDLE 0 1 2');
    expect(offer).toContain('a=setup:passive'); // role fixed by the first negotiation
    expect(offer).toMatch(/a=mid:0\r\na=recvonly/);
  });

  it('closes a consumer section with port 0 in the next offer, and reports one the subscriber rejects', () => {
    const n = new SdpNegotiator(LOCAL);
    const a = n.addSendSection({ kind: 'audio', codec: opus, cname: 'c', streamId: 's', trackId: 'a' });
    const v = n.addSendSection({ kind: 'video', codec: vp8, cname: 'c', streamId: 's', trackId: 'v' });
    const w = n.addSendSection({ kind: 'video', codec: vp8, cname: 'c', streamId: 's', trackId: 'w' });
    const offer = n.createOffer();
    const out = n.processAnswer(parseRemoteDescription(subscriberAnswerFor(offer, { rejectMid: v.mid }), 'answer'));
    expect(out.rejectedSend).toEqual([v.mid]);
    n.closeSendSection(w.mid);
    expect(n.needsNegotiation).toBe(true);
    const next = n.createOffer();
    expect(next.slice(next.lastIndexOf('m=video'))).toMatch(/^m=video 0 UDP\/TLS\/RTP\/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\na=inactive/);
    expect(next).toContain(`a=group:BUNDLE ${a.mid}\r\n`);
  });

  it('never rejects the BUNDLE-tagged (first) section: closed, it stays in the group as inactive while new sections join', () => {
    // Chromium, seeing the tagged section rejected in the same offer that adds new ones, moved the
    // bundle to a new transport and received nothing on ours.
    const n = new SdpNegotiator(LOCAL);
    const a = n.addSendSection({ kind: 'audio', codec: opus, cname: 'c', streamId: 's', trackId: 'a' });
    const v = n.addSendSection({ kind: 'video', codec: vp8, cname: 'c', streamId: 's', trackId: 'v' });
    n.processAnswer(parseRemoteDescription(subscriberAnswerFor(n.createOffer()), 'answer'));
    n.closeSendSection(a.mid);
    n.closeSendSection(v.mid);
    const a2 = n.addSendSection({ kind: 'audio', codec: opus, cname: 'c', streamId: 's2', trackId: 'a2' });
    const offer = n.createOffer();
    expect(offer).toContain(`a=group:BUNDLE ${a.mid} ${a2.mid}\r\n`);
    expect(offer.slice(offer.indexOf('m=audio'), offer.indexOf('m=video'))).toMatch(/^m=audio 9 [^]*a=inactive/);
    expect(offer.slice(offer.indexOf('m=video'))).toMatch(/^m=video 0 /);
  });

  it('keeps the BUNDLE group when every consumer closes: the first closed section stays in it as inactive, without streams', () => {
    // Chrome with max-bundle refuses an offer without a BUNDLE group ("max-bundle is used but no bundle group found").
    const n = new SdpNegotiator(LOCAL);
    const a = n.addSendSection({ kind: 'audio', codec: opus, cname: 'c', streamId: 's', trackId: 'a' });
    const v = n.addSendSection({ kind: 'video', codec: vp8, cname: 'c', streamId: 's', trackId: 'v' });
    n.processAnswer(parseRemoteDescription(subscriberAnswerFor(n.createOffer()), 'answer'));
    n.closeSendSection(a.mid);
    n.closeSendSection(v.mid);
    const offer = n.createOffer();
    expect(offer).toContain(`a=group:BUNDLE ${a.mid}\r\n`);
    const audio = offer.slice(offer.indexOf('m=audio'), offer.indexOf('m=video'));
    expect(audio).toMatch(/^m=audio 9 /);
    expect(audio).toContain('a=inactive');
    expect(audio).toContain('a=ice-ufrag:srvufrag');
    expect(audio).not.toContain('a=ssrc');
    expect(audio).not.toContain('a=msid');
    expect(offer.slice(offer.indexOf('m=video'))).toMatch(/^m=video 0 /);
    const answered = n.processAnswer(parseRemoteDescription(subscriberAnswerFor(offer, { rejectMid: v.mid }).replace(/a=recvonly/g, 'a=inactive'), 'answer'));
    expect(answered.negotiatedSend).toEqual([]);
    expect(n.needsNegotiation).toBe(false);

    // A consumer added later joins the group; closing it again leaves the inactive anchor alone in it.
    const w = n.addSendSection({ kind: 'video', codec: vp8, cname: 'c', streamId: 's', trackId: 'w' });
    const again = n.createOffer();
    expect(again).toContain(`a=group:BUNDLE ${a.mid} ${w.mid}\r\n`);
    expect(n.processAnswer(parseRemoteDescription(subscriberAnswerFor(again), 'answer')).negotiatedSend.map((s) => s.mid)).toEqual([w.mid]);
    n.closeSendSection(w.mid);
    const last = n.createOffer();
    expect(last).toContain(`a=group:BUNDLE ${a.mid}\r\n`);
    expect(last.slice(last.lastIndexOf('m=video'))).toMatch(/^m=video 0 /);
  });
});
