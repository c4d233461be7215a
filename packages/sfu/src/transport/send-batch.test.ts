import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { SrtpSession } from '../srtp/srtp-session';
import { SrtpProfile } from '../srtp/srtp-profile';
import { buildRtp } from '../testing/rtp-builder';
import { nativeUdp, nativeUdpUnavailable } from './native-udp';
import { encodeAddress, SendBatch } from './send-batch';
import { socketFd, stopEventReading } from './udp-handle';

const sockets: dgram.Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

async function bound(type: 'udp4' | 'udp6', address: string): Promise<dgram.Socket> {
  const s = dgram.createSocket(type);
  sockets.push(s);
  await new Promise<void>((resolve) => s.bind(0, address, resolve));
  return s;
}

function collect(socket: dgram.Socket): Buffer[] {
  const got: Buffer[] = [];
  socket.on('message', (m) => got.push(m));
  return got;
}

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const key = randomBytes(16);
const salt = randomBytes(14);

/** Packets of one stream across a sequence-number wrap, with CSRCs and header extensions on some. */
function packets(count: number, ssrc: number): Buffer[] {
  return Array.from({ length: count }, (_, i) =>
    buildRtp({
      payloadType: 96,
      sequenceNumber: (65530 + i) & 0xffff,
      timestamp: 1000 + i * 3000,
      ssrc,
      marker: i % 3 === 0,
      csrcs: i % 4 === 1 ? [0x01020304] : [],
      extensions: i % 2 === 0 ? [{ id: 3, data: Buffer.from([i & 0xff, 7]) }] : [],
      payload: randomBytes(1 + ((i * 97) % 1180)),
    }),
  );
}

describe('encodeAddress', () => {
  it('encodes IPv4, IPv6 (compressed, full, v4-mapped) in network order and refuses the rest', () => {
    const v4 = encodeAddress('127.0.0.1', 5000);
    expect([v4.family, v4.port, ...new Uint8Array(v4.words.buffer).subarray(0, 4)]).toEqual([4, 5000, 127, 0, 0, 1]);
    const bytes = (a: string) => Buffer.from(encodeAddress(a, 1).words.buffer).toString('hex');
    expect(bytes('::1')).toBe('00000000000000000000000000000001');
    expect(bytes('fe80::1:2')).toBe('fe800000000000000000000000010002');
    expect(bytes('2001:db8:0:0:0:0:0:ff')).toBe('20010db80000000000000000000000ff');
    expect(bytes('::ffff:10.0.0.7')).toBe('00000000000000000000ffff0a000007');
    expect(encodeAddress('::', 1).family).toBe(6);
    expect(() => encodeAddress('example.org', 1)).toThrow(RangeError);
    expect(() => encodeAddress('1:2:3', 1)).toThrow(RangeError);
  });
});

describe('native protect-and-send batch', () => {
  it('is built and loaded here (npm install builds it)', () => {
    expect(nativeUdpUnavailable).toBeNull();
    expect(nativeUdp).not.toBeNull();
  });

  it('puts on the wire exactly the bytes the JavaScript SRTP path makes, across a ROC wrap, and the receiver decrypts them (copied or read from a registered source)', async () => {
    const addon = nativeUdp!;
    const batch = new SendBatch(addon);
    const [from, to] = [await bound('udp4', '127.0.0.1'), await bound('udp4', '127.0.0.1')];
    const got = collect(to);
    const nativeSide = new SrtpSession(SrtpProfile.AES_CM_128_HMAC_SHA1_80, key, salt);
    const jsSide = new SrtpSession(SrtpProfile.AES_CM_128_HMAC_SHA1_80, key, salt);
    const receiver = new SrtpSession(SrtpProfile.AES_CM_128_HMAC_SHA1_80, key, salt);
    const context = nativeSide.nativeContext(addon);
    const fd = socketFd(from);
    expect(fd).toBeGreaterThan(0);
    const clear = packets(40, 0x11223344);
    const dest = encodeAddress('127.0.0.1', to.address().port);
    // Packets one after another in a slab, as a retransmission buffer holds them; even ones are
    // read from it as a registered source, odd ones copied into the batch.
    const slab = Buffer.concat([Buffer.alloc(5), ...clear, Buffer.alloc(3)]);
    const slabBefore = Buffer.from(slab);
    const sourcesBefore = addon.liveSources();
    const source = batch.registerSource(slab);
    expect(addon.liveSources()).toBe(sourcesBefore + 1);
    let at = 5;
    for (const [i, p] of clear.entries()) {
      const roc = nativeSide.outgoingRoc(slab, at, p.length);
      expect(batch.queueRtp(from, fd, slab, at, p.length, nativeSide.outHeaderLength, context, roc, dest, i % 2 === 0 ? source : -1)).toBe(true);
      at += p.length;
      if (i % 7 === 6) batch.flush();
    }
    await Promise.resolve(); // the microtask flush
    await until('40 datagrams', () => got.length === 40);
    expect(batch.stats).toMatchObject({ sent: 40, failed: 0 });
    expect(slab.equals(slabBefore)).toBe(true); // the source keeps the clear packets (for NACKs)
    batch.releaseSource(source);
    expect(addon.liveSources()).toBe(sourcesBefore);
    // A row naming a released source is refused, not read.
    batch.queueRtp(from, fd, slab, 5, clear[0]!.length, 12, context, 0, dest, source);
    batch.flush();
    expect(batch.stats).toMatchObject({ sent: 40, failed: 1 });
    for (const [i, p] of clear.entries()) {
      expect(got[i]!.equals(jsSide.protectRtp(p, 0, p.length)!), `packet ${i}`).toBe(true);
      const copy = Buffer.from(got[i]!);
      expect(receiver.unprotectRtp(copy), `decrypt ${i}`).toBe(p.length);
      expect(copy.subarray(0, p.length).equals(p)).toBe(true);
    }
    nativeSide.releaseNative(addon);
  });

  it('sends to IPv6 destinations and sends already-protected rows as they are', async () => {
    const addon = nativeUdp!;
    const batch = new SendBatch(addon);
    const [from, to] = [await bound('udp6', '::1'), await bound('udp6', '::1')];
    const got = collect(to);
    const raw = buildRtp({ payloadType: 111, sequenceNumber: 9, timestamp: 1, ssrc: 5, payload: Buffer.from('as is') });
    expect(batch.queueRtp(from, socketFd(from), raw, 0, raw.length, 12, -1, 0, encodeAddress('::1', to.address().port))).toBe(true);
    batch.flush();
    await until('1 datagram', () => got.length === 1);
    expect(got[0]!.equals(raw)).toBe(true);
  });

  it('counts a row it cannot send as failed, sends the others, and validates its arguments', async () => {
    const addon = nativeUdp!;
    const batch = new SendBatch(addon);
    const [from, to] = [await bound('udp4', '127.0.0.1'), await bound('udp4', '127.0.0.1')];
    const got = collect(to);
    const p = packets(1, 7)[0]!;
    const dest = encodeAddress('127.0.0.1', to.address().port);
    batch.queueRtp(from, socketFd(from), p, 0, p.length, 12, 65000, 0, dest); // no such context
    batch.queueRtp(from, 1_000_000, p, 0, p.length, 12, -1, 0, dest); // no such descriptor
    batch.queueRtp(from, socketFd(from), p, 0, p.length, 12, -1, 0, dest);
    batch.flush();
    await until('the good row', () => got.length === 1);
    expect(batch.stats).toMatchObject({ sent: 1, failed: 2, retried: 0 });
    expect(batch.queueRtp(from, socketFd(from), Buffer.alloc(4000), 0, 4000, 12, -1, 0, dest)).toBe(false);
    expect(() => addon.sendBatch(new Int32Array(4), new ArrayBuffer(16), 1)).toThrow(/bad arguments/);
    expect(() => addon.createContext(Buffer.alloc(15), salt, key)).toThrow(/expects Buffers/);
  });

  it('frees contexts: none left after create/release, and an AES-GCM session never gets one', () => {
    const addon = nativeUdp!;
    const before = addon.liveContexts();
    const sessions = Array.from({ length: 100 }, () => new SrtpSession(SrtpProfile.AES_CM_128_HMAC_SHA1_80, randomBytes(16), randomBytes(14)));
    const ids = sessions.map((s) => s.nativeContext(addon));
    expect(new Set(ids).size).toBe(100);
    expect(addon.liveContexts()).toBe(before + 100);
    for (const s of sessions) s.releaseNative(addon);
    for (const s of sessions) s.releaseNative(addon); // idempotent
    expect(addon.liveContexts()).toBe(before);
    expect(sessions[0]!.nativeContext(addon)).toBe(-1); // released for good
    const gcm = new SrtpSession(SrtpProfile.AEAD_AES_128_GCM, randomBytes(16), randomBytes(12));
    expect(gcm.nativeContext(addon)).toBe(-1);
  });
});

describe('native batch receive', () => {
  it('drains the datagrams queued on several sockets into one arena, and leaves what does not fit for the next call', async () => {
    const addon = nativeUdp!;
    const receivers = await Promise.all([bound('udp4', '127.0.0.1'), bound('udp4', '127.0.0.1'), bound('udp4', '127.0.0.1')]);
    // Polled, not event-driven: node:dgram must not read these sockets.
    const fds = new Int32Array(receivers.map((s) => socketFd(s)));
    for (const s of receivers) expect(stopEventReading(s)).toBe(true);
    const events = collect(receivers[0]!);
    const sender = await bound('udp4', '127.0.0.1');
    const sent: Buffer[][] = [[], [], []];
    for (let i = 0; i < 30; i++) {
      const to = i % 3;
      const d = Buffer.concat([Buffer.from([to, i]), randomBytes(10 + i * 40)]);
      sent[to]!.push(d);
      await new Promise<void>((resolve) => sender.send(d, receivers[to]!.address().port, '127.0.0.1', () => resolve()));
    }
    const rows = new Int32Array(16 * addon.RECV_ROW_INTS); // room for 16 of the 30
    const arena = new ArrayBuffer(64 * addon.RECV_SLOT);
    const got: Buffer[][] = [[], [], []];
    const bytes = Buffer.from(arena);
    const drain = () => {
      const n = addon.receiveBatch(fds, fds.length, rows, arena);
      for (let i = 0; i < n; i++) {
        const [fd, offset, length] = rows.subarray(i * addon.RECV_ROW_INTS, i * addon.RECV_ROW_INTS + 3);
        got[fd!]!.push(Buffer.from(bytes.subarray(offset!, offset! + length!)));
      }
      return n;
    };
    expect(drain()).toBe(16);
    expect(drain()).toBe(14);
    expect(drain()).toBe(0);
    for (let s = 0; s < 3; s++) expect(got[s]).toEqual(sent[s]);
    expect(events).toEqual([]);
    expect(() => addon.receiveBatch(fds, 4, rows, arena)).toThrow(/bad arguments/);
  });
});
