import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EMPTY_SHA256, SigV4Signer, encodeKeyPath } from './sigv4';

// The examples of AWS's S3 documentation ("Signature calculations for the Authorization header").
const signer = new SigV4Signer({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }, 'us-east-1');
const when = new Date('2013-05-24T00:00:00Z');
const host = 'examplebucket.s3.amazonaws.com';
const credential = 'Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request';

describe('SigV4Signer', () => {
  it('signs GET Object with a Range header as AWS documents it', () => {
    const h = signer.sign({ method: 'GET', path: '/test.txt', query: {}, headers: { host, range: 'bytes=0-9' }, payloadHash: EMPTY_SHA256 }, when);
    expect(h.authorization).toBe(`AWS4-HMAC-SHA256 ${credential},SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41`);
    expect(h['x-amz-date']).toBe('20130524T000000Z');
    expect(h['x-amz-content-sha256']).toBe(EMPTY_SHA256);
  });

  it('signs PUT Object with a key that needs encoding and a signed payload', () => {
    const payloadHash = createHash('sha256').update('Welcome to Amazon S3.').digest('hex');
    expect(payloadHash).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
    const h = signer.sign({
      method: 'PUT', path: `/${encodeKeyPath('test$file.text')}`, query: {},
      headers: { host, date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY' }, payloadHash,
    }, when);
    expect(h.authorization).toBe(`AWS4-HMAC-SHA256 ${credential},SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd`);
  });

  it('signs a sub-resource without value (GET ?lifecycle) and a sorted query (list objects)', () => {
    const lifecycle = signer.sign({ method: 'GET', path: '/', query: { lifecycle: '' }, headers: { host }, payloadHash: EMPTY_SHA256 }, when);
    expect(lifecycle.authorization).toMatch(/Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543$/);
    const list = signer.sign({ method: 'GET', path: '/', query: { prefix: 'J', 'max-keys': '2' }, headers: { host }, payloadHash: EMPTY_SHA256 }, when);
    expect(list.authorization).toMatch(/Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7$/);
  });

  it('adds the session token of temporary credentials and signs it', () => {
    const sts = new SigV4Signer({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret', sessionToken: 'token/+=' }, 'eu-central-1');
    const h = sts.sign({ method: 'GET', path: '/', query: {}, headers: { host }, payloadHash: EMPTY_SHA256 }, when);
    expect(h['x-amz-security-token']).toBe('token/+=');
    expect(h.authorization).toContain('SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,');
    expect(h.authorization).toContain('/20130524/eu-central-1/s3/aws4_request');
  });
});
