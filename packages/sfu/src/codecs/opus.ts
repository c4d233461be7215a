/**
 * Opus (RFC 7587). The SFU forwards Opus untouched; what matters on the way through is the RFC 6464
 * audio level carried in a header extension, which feeds active-speaker detection.
 */
import { readAudioLevelByte } from '../rtp/header-extensions';
import type { RtpPacket } from '../rtp/rtp-packet';

/** Opus always uses a 48 kHz RTP clock. */
export const OPUS_CLOCK_RATE = 48000;

/** Level in -dBov (0 loudest, 127 silence) of an Opus packet, or -1 when it has no audio-level extension. */
export function opusAudioLevel(packet: RtpPacket, audioLevelId: number): number {
  const b = readAudioLevelByte(packet, audioLevelId);
  return b < 0 ? -1 : b & 0x7f;
}

/** True when the packet is a DTX comfort-noise frame (Opus DTX frames are 1–2 bytes long). */
export function isOpusDtx(packet: RtpPacket): boolean {
  return packet.payloadLength <= 2;
}
