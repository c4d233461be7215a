/**
 * AWS Signature Version 4 for S3 requests (header-based authentication): the canonical request,
 * the string to sign and the signing key, as every S3-compatible service checks them. Verified
 * against the examples AWS publishes for S3 (sigv4.test.ts).
 */
import { createHash, createHmac } from 'node:crypto';

/** Credentials of one S3 account. */
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** For temporary credentials (STS); sent as x-amz-security-token. */
  sessionToken?: string;
}

/** A request as it is signed. */
export interface RequestToSign {
  method: string;
  /** The path as sent, already URI-encoded (S3 does not encode it twice). */
  path: string;
  /** Query parameters, not encoded; a parameter without value is ''. */
  query: Record<string, string>;
  /** Headers to sign (must include host); names in any case. */
  headers: Record<string, string>;
  /** Hex SHA-256 of the body, or UNSIGNED-PAYLOAD. */
  payloadHash: string;
}

/** Hex SHA-256 of the empty body. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** RFC 3986 encoding as SigV4 wants it: unreserved characters stay, everything else is %XX (upper case). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** An object key as a URI path: each `/`-separated segment encoded, the slashes kept. */
export function encodeKeyPath(key: string): string {
  return key.split('/').map(uriEncode).join('/');
}

/** `20130524T000000Z` for a date. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** Signs S3 requests for one account and region; signing keys are cached per day. */
export class SigV4Signer {
  private cachedDay = '';
  private cachedKey: Buffer | undefined;

  /** A signer for `region` (e.g. eu-central-1) and service `s3`. */
  constructor(private readonly credentials: S3Credentials, readonly region: string, private readonly service = 's3') {}

  /** The headers to add to the request: x-amz-date, x-amz-content-sha256, the session token if any, and Authorization. */
  sign(req: RequestToSign, now: Date): Record<string, string> {
    const date = amzDate(now);
    const day = date.slice(0, 8);
    const added: Record<string, string> = { 'x-amz-date': date, 'x-amz-content-sha256': req.payloadHash };
    if (this.credentials.sessionToken) added['x-amz-security-token'] = this.credentials.sessionToken;
    const headers = new Map<string, string>();
    for (const [k, v] of Object.entries({ ...req.headers, ...added })) headers.set(k.toLowerCase(), v.trim().replace(/\s+/g, ' '));
    const names = [...headers.keys()].sort();
    const signedHeaders = names.join(';');
    const canonicalQuery = Object.keys(req.query)
      .map((k) => [uriEncode(k), uriEncode(req.query[k])] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const canonicalRequest = [
      req.method, req.path, canonicalQuery,
      names.map((n) => `${n}:${headers.get(n)}\n`).join(''),
      signedHeaders, req.payloadHash,
    ].join('\n');
    const scope = `${day}/${this.region}/${this.service}/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', date, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
    const signature = createHmac('sha256', this.signingKey(day)).update(stringToSign).digest('hex');
    added.authorization = `AWS4-HMAC-SHA256 Credential=${this.credentials.accessKeyId}/${scope},SignedHeaders=${signedHeaders},Signature=${signature}`;
    return added;
  }

  private signingKey(day: string): Buffer {
    if (this.cachedDay !== day || !this.cachedKey) {
      const kDate = hmac(`AWS4${this.credentials.secretAccessKey}`, day);
      this.cachedKey = hmac(hmac(hmac(kDate, this.region), this.service), 'aws4_request');
      this.cachedDay = day;
    }
    return this.cachedKey;
  }
}
