import { describe, expect, it } from 'vitest';
import { buildRtp } from '../testing/rtp-builder';
import {
  absSendTime,
  buildExtensionTranslation,
  ExtensionMap,
  parseAudioLevel,
  readAudioLevelByte,
  readStringExtension,
  readTransportSequence,
  RtpExtensionUri,
} from './header-extensions';
import { parseRtp } from './rtp-packet';

describe('ExtensionMap', () => {
  const map = new ExtensionMap([
    { id: 1, uri: RtpExtensionUri.audioLevel },
    { id: 3, uri: RtpExtensionUri.transportWideCc },
    { id: 3, uri: RtpExtensionUri.mid }, // duplicate id: ignored
    { id: 0, uri: RtpExtensionUri.playoutDelay }, // invalid id: ignored
  ]);

  it('maps ids to URIs and back; unknown URIs map to 0', () => {
    expect(map.idOf(RtpExtensionUri.transportWideCc)).toBe(3);
    expect(map.uriOf(1)).toBe(RtpExtensionUri.audioLevel);
    expect(map.idOf(RtpExtensionUri.mid)).toBe(0);
    expect(map.idOf(RtpExtensionUri.playoutDelay)).toBe(0);
  });

  it('needsTwoByte is true only when an id does not fit the one-byte form', () => {
    expect(map.needsTwoByte).toBe(false);
    expect(new ExtensionMap([{ id: 15, uri: RtpExtensionUri.mid }]).needsTwoByte).toBe(true);
  });
});

describe('buildExtensionTranslation()', () => {
  const producer = new ExtensionMap([
    { id: 1, uri: RtpExtensionUri.mid },
    { id: 2, uri: RtpExtensionUri.rtpStreamId },
    { id: 3, uri: RtpExtensionUri.transportWideCc },
    { id: 4, uri: RtpExtensionUri.audioLevel },
    { id: 5, uri: RtpExtensionUri.videoOrientation },
    { id: 6, uri: RtpExtensionUri.playoutDelay },
    { id: 7, uri: RtpExtensionUri.absSendTime },
  ]);
  const consumer = new ExtensionMap([
    { id: 9, uri: RtpExtensionUri.audioLevel },
    { id: 4, uri: RtpExtensionUri.videoOrientation },
    { id: 5, uri: RtpExtensionUri.transportWideCc },
    { id: 1, uri: RtpExtensionUri.mid },
  ]);
  const t = buildExtensionTranslation(producer, consumer);

  it('remaps copied extensions to the consumer ids', () => {
    expect(t[4]).toBe(9);
    expect(t[5]).toBe(4);
  });

  it('drops extensions the consumer did not negotiate', () => expect(t[6]).toBe(0));

  it('never copies per-connection or per-stream extensions (twcc, abs-send-time, mid, rid)', () => {
    expect(t[1]).toBe(0);
    expect(t[2]).toBe(0);
    expect(t[3]).toBe(0);
    expect(t[7]).toBe(0);
  });
});

describe('extension readers', () => {
  const buf = buildRtp({
    payloadType: 111, sequenceNumber: 1, timestamp: 1, ssrc: 1,
    extensions: [{ id: 1, data: Buffer.from([0x80 | 42]) }, { id: 3, data: Buffer.from([0xbe, 0xef]) }, { id: 4, data: Buffer.from('a1') }],
  });
  const p = parseRtp(buf)!;

  it('parseAudioLevel() splits the RFC 6464 byte into voice flag and -dBov level', () => {
    expect(readAudioLevelByte(p, 1)).toBe(0xaa);
    expect(parseAudioLevel(readAudioLevelByte(p, 1))).toEqual({ voice: true, levelDbov: 42 });
    expect(parseAudioLevel(127)).toEqual({ voice: false, levelDbov: 127 });
    expect(readAudioLevelByte(p, 2)).toBe(-1);
  });

  it('readTransportSequence() reads the 16-bit transport-wide sequence number', () => {
    expect(readTransportSequence(p, 3)).toBe(0xbeef);
    expect(readTransportSequence(p, 9)).toBe(-1);
  });

  it('readStringExtension() reads a mid/rid value', () => {
    expect(readStringExtension(p, 4)).toBe('a1');
    expect(readStringExtension(p, 5)).toBeUndefined();
  });

  it('absSendTime() is 6.18 fixed-point seconds modulo 64 s', () => {
    expect(absSendTime(0)).toBe(0);
    expect(absSendTime(1000)).toBe(1 << 18);
    expect(absSendTime(64000)).toBe(0);
    expect(absSendTime(1_700_000_000_500)).toBe(absSendTime(500 + ((1_700_000_000_000) % 64000)));
  });
});
