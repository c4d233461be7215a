import { describe, expect, it } from 'vitest';
import { iceServersFor, turnCredential } from './turn-credentials';

const SECRET = 'podium-turn-secret-0123';
const NOW_MS = 1_700_000_000_000;

describe('turnCredential (TURN REST API, coturn use-auth-secret)', () => {
  it('makes username <expiry>:<id> and password base64(HMAC-SHA1(secret, username)), as openssl computes it', () => {
    // echo -n "1700003600:prt_abc" | openssl dgst -sha1 -hmac "podium-turn-secret-0123" -binary | base64
    expect(turnCredential(SECRET, 'prt_abc', 3600, NOW_MS)).toEqual({
      username: '1700003600:prt_abc',
      credential: 'lapVjOnZZ7cDwo60xiR7Lo2bV4o=',
      expiresAt: 1_700_003_600,
    });
  });

  it('refuses user ids that would confuse the username parse, short secrets and silly lifetimes with BAD_REQUEST', () => {
    expect(() => turnCredential(SECRET, 'a:b', 60)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    expect(() => turnCredential(SECRET, '', 60)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    expect(() => turnCredential('short', 'prt_a', 60)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    expect(() => turnCredential(SECRET, 'prt_a', 0)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    expect(() => turnCredential(SECRET, 'prt_a', 8 * 86_400)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });
});

describe('iceServersFor', () => {
  const none = { stunUrls: [], turnUrls: [], turnSecret: '', turnCredentialTtlSeconds: 3600 };

  it('is empty when nothing is configured: no public STUN server is ever handed out', () => {
    expect(iceServersFor(none, 'prt_a', NOW_MS)).toEqual({ iceServers: [], expiresAt: 0 });
  });

  it('lists the configured STUN servers, and the TURN servers with a fresh credential', () => {
    const grant = iceServersFor(
      { stunUrls: ['stun:turn.example.org:3478'], turnUrls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:443?transport=tcp'], turnSecret: SECRET, turnCredentialTtlSeconds: 3600 },
      'prt_abc',
      NOW_MS,
    );
    expect(grant).toEqual({
      iceServers: [
        { urls: ['stun:turn.example.org:3478'] },
        { urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:443?transport=tcp'], username: '1700003600:prt_abc', credential: 'lapVjOnZZ7cDwo60xiR7Lo2bV4o=' },
      ],
      expiresAt: 1_700_003_600,
    });
  });

  it('refuses malformed URLs and TURN without a secret', () => {
    expect(() => iceServersFor({ ...none, turnUrls: ['http://x'] }, 'prt_a')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    expect(() => iceServersFor({ ...none, stunUrls: ['turn:x:3478'] }, 'prt_a')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    expect(() => iceServersFor({ ...none, turnUrls: ['turn:x:3478'] }, 'prt_a')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });
});
