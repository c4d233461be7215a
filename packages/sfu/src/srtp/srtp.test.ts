import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RtpPacket as WeriftRtpPacket, SrtcpSession as WeriftSrtcp, SrtpSession as WeriftSrtp } from 'werift';
import { buildRtp } from '../testing/rtp-builder';
import { serializeCompound } from '../rtcp/serialize-rtcp';
import { AesCmKeystream } from './aes-cm';
import { deriveSessionKey, KdfLabel } from './key-derivation';
import { SrtpProfile, type SrtpProfileId, srtpMasterSaltLength } from './srtp-profile';
import { SrtpSession } from './srtp-session';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('AES-CM keystream (RFC 3711 Appendix B.2)', () => {
  it('matches the published keystream blocks, including the carry out of the low counter byte', () => {
    const ks = new AesCmKeystream(hex('2B7E151628AED2A6ABF7158809CF4F3C'));
    const iv = hex('F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000');
    const stream = ks.keystream(iv, 48);
    expect(stream.subarray(0, 16).toString('hex')).toBe('e03ead0935c95e80e166b16dd92b4eb4');
    expect(stream.subarray(16, 32).toString('hex')).toBe('d23513162b02d0f72a43a2fe4a5f97ab');
    expect(stream.subarray(32, 48).toString('hex')).toBe('41e95b3bb0a2e8dd477901e4fca894c0');
    // Blocks 0xFEFF..0xFF01 of the same stream, generated from a counter already advanced.
    const tail = ks.keystream(hex('F0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF'), 48);
    expect(tail.subarray(0, 16).toString('hex')).toBe('ec8cdf7398607cb0f2d21675ea9ea1e4');
    expect(tail.subarray(16, 32).toString('hex')).toBe('362b7c3c6773516318a077d7fc5073ae');
    expect(tail.subarray(32, 48).toString('hex')).toBe('6a2cc3787889374fbeb4c81b17ba6c44');
  });

  it('xor() encrypts in place and out of place alike, at unaligned offsets too', () => {
    const ks = new AesCmKeystream(randomBytes(16));
    const iv = randomBytes(16);
    iv[14] = 0;
    iv[15] = 0;
    const plain = randomBytes(1203);
    const out = Buffer.alloc(1300);
    ks.xor(iv, plain, 0, out, 7, plain.length);
    const inPlace = Buffer.concat([Buffer.alloc(3), plain]);
    ks.xor(iv, inPlace, 3, inPlace, 3, plain.length);
    expect(out.subarray(7, 7 + plain.length)).toEqual(inPlace.subarray(3));
    ks.xor(iv, out, 7, out, 7, plain.length);
    expect(out.subarray(7, 7 + plain.length)).toEqual(plain);
    // An unaligned source into an aligned destination (packets back to back in a slab) gives the same ciphertext.
    for (const shift of [1, 2, 3]) {
      const slab = Buffer.concat([Buffer.alloc(shift), plain]);
      const aligned = Buffer.alloc(1300);
      ks.xor(iv, slab, shift, aligned, 8, plain.length);
      expect(aligned.subarray(8, 8 + plain.length)).toEqual(inPlace.subarray(3));
      expect(slab.subarray(shift)).toEqual(plain);
    }
  });
});

describe('SRTP key derivation (RFC 3711 Appendix B.3)', () => {
  const key = hex('E1F97A0D3E018BE0D64FA32C06DE4139');
  const salt = hex('0EC675AD498AFEEBB6960B3AABE6');

  it('derives the published cipher key, salt and authentication key', () => {
    expect(deriveSessionKey(key, salt, KdfLabel.SRTP_ENCRYPTION, 16).toString('hex')).toBe('c61e7a93744f39ee10734afe3ff7a087');
    expect(deriveSessionKey(key, salt, KdfLabel.SRTP_SALT, 14).toString('hex')).toBe('30cbbc08863d8c85d49db34a9ae1');
    expect(deriveSessionKey(key, salt, KdfLabel.SRTP_AUTH, 20).toString('hex')).toBe('cebe321f6ff7716b6fd4ab49af256a156d38baa4');
  });
});

function weriftPair(profile: SrtpProfileId, key: Buffer, salt: Buffer) {
  const other = { key: randomBytes(16), salt: randomBytes(srtpMasterSaltLength(profile)) };
  const config = { keys: { localMasterKey: key, localMasterSalt: salt, remoteMasterKey: other.key, remoteMasterSalt: other.salt }, profile };
  return { srtp: new WeriftSrtp(config), srtcp: new WeriftSrtcp(config) };
}

function rtp(seq: number, payloadSize = 300, ssrc = 0x11223344): Buffer {
  return buildRtp({
    payloadType: 96,
    sequenceNumber: seq,
    timestamp: seq * 3000,
    ssrc,
    marker: seq % 3 === 0,
    extensions: [{ id: 1, data: Buffer.from([seq & 0xff, 7]) }],
    payload: randomBytes(payloadSize),
  });
}

describe.each([
  ['AES_CM_128_HMAC_SHA1_80', SrtpProfile.AES_CM_128_HMAC_SHA1_80],
  ['AEAD_AES_128_GCM', SrtpProfile.AEAD_AES_128_GCM],
] as const)('SrtpSession with %s', (_name, profile) => {
  const key = randomBytes(16);
  const salt = randomBytes(srtpMasterSaltLength(profile));

  it('protects RTP exactly as werift does, and unprotects what werift protects', () => {
    const ours = new SrtpSession(profile, key, salt);
    const ref = weriftPair(profile, key, salt);
    for (const seq of [65530, 65531, 65535, 0, 1, 2]) {
      const plain = rtp(seq);
      const protectedByUs = ours.protectRtp(plain, 0, plain.length);
      const parsed = WeriftRtpPacket.deSerialize(plain);
      const protectedByWerift = ref.srtp.encrypt(parsed.payload, parsed.header);
      expect(protectedByUs).toEqual(protectedByWerift);
    }
    const receiver = new SrtpSession(profile, key, salt);
    const sender = weriftPair(profile, key, salt);
    for (const seq of [100, 101, 103, 102]) {
      const plain = rtp(seq);
      const parsed = WeriftRtpPacket.deSerialize(plain);
      const wire = Buffer.from(sender.srtp.encrypt(parsed.payload, parsed.header));
      const n = receiver.unprotectRtp(wire, wire.length);
      expect(wire.subarray(0, n)).toEqual(plain);
    }
  });

  it('protects a long in-sequence stream (bulk keystream) exactly as werift does, retransmissions of old packets included', () => {
    const ours = new SrtpSession(profile, key, salt);
    const ref = weriftPair(profile, key, salt);
    const rx = new SrtpSession(profile, key, salt);
    const sent: Buffer[] = [];
    for (let i = 0; i < 120; i++) {
      const seq = (65500 + i) & 0xffff;
      const plain = rtp(seq, [1100, 40, 700, 1160][i % 4]);
      sent.push(plain);
      const parsed = WeriftRtpPacket.deSerialize(plain);
      const wire = ours.protectRtp(plain, 0, plain.length) as Buffer;
      expect(wire, `seq ${seq}`).toEqual(ref.srtp.encrypt(parsed.payload, parsed.header));
      const n = rx.unprotectRtp(Buffer.from(wire));
      expect(n).toBe(plain.length);
      if (i % 10 === 9) {
        // A retransmission (same SSRC, old sequence number) between two in-sequence packets.
        const old = sent[i - 5];
        const again = ours.protectRtp(old, 0, old.length) as Buffer;
        const p = WeriftRtpPacket.deSerialize(old);
        expect(again).toEqual(ref.srtp.encrypt(p.payload, p.header));
      }
    }
  });

  it('protects and unprotects RTCP compatibly with werift', () => {
    const ours = new SrtpSession(profile, key, salt);
    const rtcp = serializeCompound([
      { type: 'rr', ssrc: 0xabcdef01, reports: [] },
      { type: 'pli', senderSsrc: 0xabcdef01, mediaSsrc: 0x11223344 },
    ]);
    const wire = ours.protectRtcp(rtcp, 0, rtcp.length) as Buffer;
    // werift decrypts with its remote keys: build a peer whose remote keys are ours.
    const peer = new WeriftSrtcp({
      keys: { localMasterKey: randomBytes(16), localMasterSalt: randomBytes(salt.length), remoteMasterKey: key, remoteMasterSalt: salt },
      profile,
    });
    expect(Buffer.from(peer.decrypt(wire))).toEqual(rtcp);
    const back = new SrtpSession(profile, key, salt);
    const fromWerift = Buffer.from(weriftPair(profile, key, salt).srtcp.encrypt(rtcp));
    const n = back.unprotectRtcp(fromWerift, fromWerift.length);
    expect(fromWerift.subarray(0, n)).toEqual(rtcp);
  });

  it('drops tampered, truncated and replayed packets without changing its state', () => {
    const tx = new SrtpSession(profile, key, salt);
    const rx = new SrtpSession(profile, key, salt);
    const first = tx.protectRtp(rtp(10), 0, rtp(10).length) as Buffer;
    const tampered = Buffer.from(first);
    tampered[tampered.length - 20] ^= 1;
    expect(rx.unprotectRtp(tampered)).toBe(-1);
    expect(rx.unprotectRtp(first.subarray(0, 11))).toBe(-1);
    expect(rx.unprotectRtp(Buffer.from(first))).toBeGreaterThan(0);
    expect(rx.unprotectRtp(Buffer.from(first))).toBe(-1); // replay
    const rtcp = serializeCompound([{ type: 'rr', ssrc: 5, reports: [] }]);
    const srtcp = tx.protectRtcp(rtcp, 0, rtcp.length) as Buffer;
    const bad = Buffer.from(srtcp);
    bad[9] ^= 0x40;
    expect(rx.unprotectRtcp(bad)).toBe(-1);
    expect(rx.unprotectRtcp(Buffer.from(srtcp))).toBe(rtcp.length);
    expect(rx.unprotectRtcp(Buffer.from(srtcp))).toBe(-1);
  });

  it('follows the rollover counter across a sequence wrap, with reordering around it', () => {
    const tx = new SrtpSession(profile, key, salt);
    const rx = new SrtpSession(profile, key, salt);
    const seqs = [65533, 65534, 0, 65535, 1, 2, 3];
    for (const seq of seqs) {
      const plain = rtp(seq, 50);
      const wire = tx.protectRtp(plain, 0, plain.length) as Buffer;
      const n = rx.unprotectRtp(wire);
      expect(wire.subarray(0, n), `seq ${seq}`).toEqual(plain);
    }
  });
});

describe('SrtpSession input checks', () => {
  it('rejects keys of the wrong size and never throws on garbage datagrams', () => {
    expect(() => new SrtpSession(SrtpProfile.AES_CM_128_HMAC_SHA1_80, randomBytes(15), randomBytes(14))).toThrow(RangeError);
    expect(() => new SrtpSession(SrtpProfile.AEAD_AES_128_GCM, randomBytes(16), randomBytes(14))).toThrow(RangeError);
    const rx = new SrtpSession(SrtpProfile.AEAD_AES_128_GCM, randomBytes(16), randomBytes(12));
    for (let i = 0; i < 500; i++) {
      const junk = randomBytes(i % 90);
      if (junk.length > 0) junk[0] = 0x80 | (junk[0] & 0x3f);
      expect(rx.unprotectRtp(junk)).toBe(-1);
      expect(rx.unprotectRtcp(junk)).toBe(-1);
    }
  });
});
