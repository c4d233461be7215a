/**
 * The DTLS certificate of this process (one per worker): ECDSA P-256, self-signed, made once by
 * werift's DTLS stack and shared by every transport, as browsers do per peer connection.
 */
import { createHash } from 'node:crypto';
import { RTCDtlsTransport, type RTCCertificate } from 'werift';

let certificate: Promise<RTCCertificate> | undefined;

/** The shared certificate (created on first use). */
export function dtlsCertificate(): Promise<RTCCertificate> {
  certificate ??= RTCDtlsTransport.SetupCertificate();
  return certificate;
}

/** Our certificate's fingerprint as announced in SDP. */
export async function localFingerprint(): Promise<{ algorithm: string; value: string }> {
  const fp = (await dtlsCertificate()).getFingerprints()[0];
  return { algorithm: fp.algorithm.toLowerCase(), value: fp.value.toUpperCase() };
}

/** Fingerprint of a DER certificate with `algorithm` ('sha-256', …), upper-case colon hex. */
export function certificateFingerprint(der: Buffer, algorithm: string): string | undefined {
  const hash = { 'sha-256': 'sha256', 'sha-384': 'sha384', 'sha-512': 'sha512' }[algorithm.toLowerCase()];
  if (!hash) return undefined;
  return createHash(hash)
    .update(der)
    .digest('hex')
    .toUpperCase()
    .match(/.{2}/g)
    ?.join(':');
}
