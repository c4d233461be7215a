import { describe, expect, it } from 'vitest';
import { classes, Message, methods, parseMessage } from 'werift';
import { IceLiteAgent, type IceTuple } from './ice-lite';

/** A connectivity check as a controlling peer sends it, authenticated with the server's password. */
function check(ufrag: string, pwd: string, nominate: boolean): Buffer {
  const m = new Message(methods.BINDING, classes.REQUEST)
    .setAttribute('USERNAME', `${ufrag}:peer`)
    .setAttribute('PRIORITY', 1853824767)
    .setAttribute('ICE-CONTROLLING', 1n);
  if (nominate) m.setAttribute('USE-CANDIDATE', null);
  return m.addMessageIntegrity(Buffer.from(pwd, 'utf8')).addFingerprint().bytes;
}

function agent() {
  const replies: Array<{ port: number; ok: boolean }> = [];
  const selected: IceTuple[] = [];
  const a = new IceLiteAgent({
    ufrag: 'old1',
    pwd: 'old-password-0123456789',
    send: (data, port) => replies.push({ port, ok: parseMessage(data)?.messageClass === classes.RESPONSE }),
  });
  a.on('tupleselected', (t) => selected.push(t));
  return { a, replies, selected };
}

describe('IceLiteAgent ICE restart', () => {
  it('keeps answering the old credentials until the first check with the new ones, which moves media to its pair', () => {
    const { a, replies, selected } = agent();
    a.handleStun(check('old1', 'old-password-0123456789', true), '127.0.0.1', 5000, 0);
    expect(selected.map((t) => t.port)).toEqual([5000]);

    a.restart('new1', 'new-password-0123456789');
    // Consent on the old pair still authenticates while the peer has not switched yet.
    a.handleStun(check('old1', 'old-password-0123456789', true), '127.0.0.1', 5000, 10);
    expect(replies.at(-1)).toEqual({ port: 5000, ok: true });
    expect(a.selected?.port).toBe(5000);

    // The peer moved to a new port: its first check with the new credentials selects that pair.
    a.handleStun(check('new1', 'new-password-0123456789', false), '127.0.0.1', 6000, 20);
    expect(replies.at(-1)).toEqual({ port: 6000, ok: true });
    expect(selected.map((t) => t.port)).toEqual([5000, 6000]);

    // From now on the old credentials are gone.
    const count = replies.length;
    a.handleStun(check('old1', 'old-password-0123456789', true), '127.0.0.1', 5000, 30);
    expect(replies.length).toBe(count);
    expect(a.selected?.port).toBe(6000);
  });

  it('never accepts the new ufrag with the old password, nor an old-credential nomination of another pair', () => {
    const { a, replies, selected } = agent();
    a.handleStun(check('old1', 'old-password-0123456789', true), '127.0.0.1', 5000, 0);
    a.restart('new1', 'new-password-0123456789');
    const count = replies.length;
    a.handleStun(check('new1', 'old-password-0123456789', true), '127.0.0.1', 6000, 10);
    expect(replies.length).toBe(count);
    a.handleStun(check('old1', 'old-password-0123456789', true), '127.0.0.1', 7000, 20);
    expect(a.selected?.port).toBe(5000);
    expect(selected.map((t) => t.port)).toEqual([5000]);
  });
});
