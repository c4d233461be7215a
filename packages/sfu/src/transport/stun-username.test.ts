import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { classes, Message, methods } from 'werift';
import { stunLocalUfrag } from './stun-username';

const request = (username?: string) => {
  const m = new Message(methods.BINDING, classes.REQUEST).setAttribute('PRIORITY', 1234).setAttribute('ICE-CONTROLLING', BigInt(7));
  if (username !== undefined) m.setAttribute('USERNAME', username);
  return m.addMessageIntegrity(Buffer.from('password')).addFingerprint().bytes;
};

describe('stunLocalUfrag', () => {
  it("reads our half of a binding request's USERNAME, after other attributes", () => {
    expect(stunLocalUfrag(request('a1b2c3d4e5f6:remote'))).toBe('a1b2c3d4e5f6');
    expect(stunLocalUfrag(request('x:'))).toBe('x');
  });

  it('finds nothing in responses, requests without USERNAME or a colon, other protocols and garbage', () => {
    expect(stunLocalUfrag(new Message(methods.BINDING, classes.RESPONSE).setAttribute('USERNAME', 'a:b').addFingerprint().bytes)).toBeUndefined();
    expect(stunLocalUfrag(request())).toBeUndefined();
    expect(stunLocalUfrag(request('nocolon'))).toBeUndefined();
    expect(stunLocalUfrag(request(':remote'))).toBeUndefined();
    expect(stunLocalUfrag(Buffer.from([0x80, 0x60, 0, 1, ...randomBytes(40)]))).toBeUndefined();
    // Every cut of a valid request: never a wrong answer, never a throw.
    const full = request('abcd:efgh');
    for (let n = 0; n < full.length; n++) {
      const got = stunLocalUfrag(full.subarray(0, n));
      if (got !== undefined) expect(got).toBe('abcd');
    }
    for (let i = 0; i < 5000; i++) {
      const junk = randomBytes(20 + (i % 120));
      junk.writeUInt16BE(1, 0);
      junk.writeUInt32BE(0x2112a442, 4);
      junk.writeUInt16BE((junk.length - 20) & ~3, 2);
      expect(() => stunLocalUfrag(junk)).not.toThrow();
    }
  });
});
