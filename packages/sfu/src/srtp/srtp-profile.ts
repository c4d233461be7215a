/**
 * SRTP protection profiles negotiated through DTLS-SRTP (RFC 5764 use_srtp), with their key sizes.
 * The ids are the IANA values werift's DTLS stack uses too.
 */

/** DTLS-SRTP protection profile ids. */
export const SrtpProfile = {
  /** AES-128 counter mode, HMAC-SHA1 with an 80-bit tag (RFC 3711). */
  AES_CM_128_HMAC_SHA1_80: 0x0001,
  /** AES-128 GCM with a 128-bit tag (RFC 7714). */
  AEAD_AES_128_GCM: 0x0007,
} as const;

/** One of the supported profile ids. */
export type SrtpProfileId = (typeof SrtpProfile)[keyof typeof SrtpProfile];

/**
 * Our preference order: AES-CM first, because its keystream comes from one reused AES-ECB cipher
 * per session (no cipher object per packet), while node:crypto needs a new GCM cipher per packet.
 */
export const SRTP_PROFILE_PREFERENCE: readonly SrtpProfileId[] = [SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM];

/** Master key bytes of a profile. */
export function srtpMasterKeyLength(_profile: SrtpProfileId): number {
  return 16;
}

/** Master salt bytes of a profile (RFC 3711: 112 bits; RFC 7714: 96 bits). */
export function srtpMasterSaltLength(profile: SrtpProfileId): number {
  return profile === SrtpProfile.AEAD_AES_128_GCM ? 12 : 14;
}

/** Bytes the protection adds to an RTP packet (the authentication tag). */
export function srtpRtpOverhead(profile: SrtpProfileId): number {
  return profile === SrtpProfile.AEAD_AES_128_GCM ? 16 : 10;
}

/** Bytes the protection adds to an RTCP packet (E flag + SRTCP index, plus the tag). */
export function srtpRtcpOverhead(profile: SrtpProfileId): number {
  return 4 + srtpRtpOverhead(profile);
}

/** True for a profile id this implementation supports. */
export function isSupportedSrtpProfile(id: number): id is SrtpProfileId {
  return id === SrtpProfile.AES_CM_128_HMAC_SHA1_80 || id === SrtpProfile.AEAD_AES_128_GCM;
}
