/**
 * SRTP session-key derivation (RFC 3711 §4.3 with a key derivation rate of 0, as DTLS-SRTP uses):
 * the AES-CM PRF keyed with the master key, over the master salt XOR (label << 48).
 * RFC 7714 (GCM) uses the same PRF with its 96-bit master salt zero-padded to 112 bits.
 */
import { AesCmKeystream } from './aes-cm';

/** Key derivation labels (RFC 3711 §4.3.2). */
export const KdfLabel = {
  SRTP_ENCRYPTION: 0,
  SRTP_AUTH: 1,
  SRTP_SALT: 2,
  SRTCP_ENCRYPTION: 3,
  SRTCP_AUTH: 4,
  SRTCP_SALT: 5,
} as const;

/** Derives `length` bytes of session key material for `label`. */
export function deriveSessionKey(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  if (masterSalt.length > 14) throw new RangeError('master salt longer than 112 bits');
  const iv = Buffer.alloc(16);
  masterSalt.copy(iv, 0);
  iv[7] ^= label; // key_id = label || r (r = 0), right-aligned in the 112-bit salt
  return new AesCmKeystream(masterKey).keystream(iv, length).subarray(0, length);
}

/** Session keys of one direction of one SRTP/SRTCP session. */
export interface SessionKeys {
  /** SRTP cipher key (16 bytes). */
  rtpKey: Buffer;
  /** SRTP salt (14 bytes for AES-CM, 12 for GCM). */
  rtpSalt: Buffer;
  /** SRTP HMAC key (20 bytes; unused by GCM). */
  rtpAuthKey: Buffer;
  /** SRTCP cipher key. */
  rtcpKey: Buffer;
  /** SRTCP salt. */
  rtcpSalt: Buffer;
  /** SRTCP HMAC key. */
  rtcpAuthKey: Buffer;
}

/** All session keys from one master key and salt. */
export function deriveSessionKeys(masterKey: Buffer, masterSalt: Buffer, saltLength: number, authKeyLength: number): SessionKeys {
  return {
    rtpKey: deriveSessionKey(masterKey, masterSalt, KdfLabel.SRTP_ENCRYPTION, 16),
    rtpSalt: deriveSessionKey(masterKey, masterSalt, KdfLabel.SRTP_SALT, saltLength),
    rtpAuthKey: deriveSessionKey(masterKey, masterSalt, KdfLabel.SRTP_AUTH, authKeyLength),
    rtcpKey: deriveSessionKey(masterKey, masterSalt, KdfLabel.SRTCP_ENCRYPTION, 16),
    rtcpSalt: deriveSessionKey(masterKey, masterSalt, KdfLabel.SRTCP_SALT, saltLength),
    rtcpAuthKey: deriveSessionKey(masterKey, masterSalt, KdfLabel.SRTCP_AUTH, authKeyLength),
  };
}
