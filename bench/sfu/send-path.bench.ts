/**
 * The per-forwarded-packet send path of one consumer, alone and deterministic enough for valgrind:
 * rewrite into the retransmission slab → SRTP protect → UDP send to a loopback socket. Run it for a
 * fixed number of packets under callgrind to count instructions (the user-space share of the cost;
 * the kernel's share is one syscall per packet to callgrind), or without valgrind for CPU time.
 *
 *   node --import tsx bench/sfu/send-path.bench.ts            # CPU ns per packet, every mode
 *   SEND_PATH_MODE=reuse SEND_PATH_PACKETS=20000 valgrind --tool=callgrind node /tmp/send-path.mjs
 *     (bundle first: npx esbuild bench/sfu/send-path.bench.ts --bundle --platform=node --format=esm
 *      --outfile=/tmp/send-path.mjs --external:werift; per-packet instructions = the difference
 *      between two packet counts divided by the difference in packets, so start-up cancels out)
 *
 * Modes: `alloc` — what the transport did before output buffers were reused: protectRtp() into a
 * new buffer per packet, socket.send(buffer, port, address); `reuse` — the transport's path now
 * (protectRtpInto() the DatagramSender's reused buffer, sent from it); `protect-alloc` /
 * `protect-reuse` — the same without the send. The receiving socket is in this process and never
 * read (the kernel drops what overflows it): the sender's work is the same.
 */
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { ExtensionMap, parseRtp, RetransmissionBuffer, RtpExtensionUri, RtpPacket, RtpRewriter, SrtpProfile, SrtpSession, Vp8PayloadRewriter } from '../../packages/sfu/src/index';
import * as transportModule from '../../packages/sfu/src/transport/datagram-sender';
import { Prng } from '../../packages/sfu/src/testing/prng';
import { type BuiltExtension, buildRtp, vp8Payload } from '../../packages/sfu/src/testing/rtp-builder';

const PACKET_SIZE = 1200;
const DISTINCT = 256;
const MODES = ['alloc', 'reuse', 'protect-alloc', 'protect-reuse'] as const;
type Mode = (typeof MODES)[number];

const producerExt = new ExtensionMap([
  { id: 3, uri: RtpExtensionUri.transportWideCc },
  { id: 4, uri: RtpExtensionUri.mid },
]);
const consumerExt = new ExtensionMap([
  { id: 5, uri: RtpExtensionUri.transportWideCc },
  { id: 1, uri: RtpExtensionUri.mid },
]);

function makePackets(): Buffer[] {
  const rng = new Prng(7);
  const out: Buffer[] = [];
  for (let i = 0; i < DISTINCT; i++) {
    const extensions: BuiltExtension[] = [
      { id: 3, data: Buffer.from([(i >> 8) & 0xff, i & 0xff]) },
      { id: 4, data: Buffer.from('0') },
    ];
    const header = buildRtp({ payloadType: 96, sequenceNumber: i, timestamp: i * 3000, ssrc: 0x1234, extensions }).length;
    const vp8 = vp8Payload({ pictureId: 1000 + (i >> 2), tl0PicIdx: i >> 2, temporalId: 0, start: i % 4 === 0, keyframe: i === 0, size: 0 });
    const payload = Buffer.concat([vp8, rng.bytes(PACKET_SIZE - header - vp8.length)]);
    out.push(buildRtp({ payloadType: 96, sequenceNumber: i, timestamp: i * 3000, ssrc: 0x1234, marker: i % 4 === 3, extensions, payload }));
  }
  return out;
}

/** A consumer's send state: rewriter, retransmission slab, SRTP session, socket. */
class Path {
  readonly rewriter = new RtpRewriter({
    ssrc: 0x5000, clockRate: 90000, payloadTypes: new Map([[96, 101]]), producerExtensions: producerExt, consumerExtensions: consumerExt,
    mid: '1', payloadRewriter: new Vp8PayloadRewriter(), initialSequenceNumber: 1, initialTimestamp: 1,
  });
  readonly rtx = new RetransmissionBuffer({ slabSize: 256 * 1024, transportWideCcId: 5 });
  readonly srtp = new SrtpSession(SrtpProfile.AES_CM_128_HMAC_SHA1_80, randomBytes(16), randomBytes(14));
  readonly sender: transportModule.DatagramSender;
  transportSeq = 0;
  constructor(readonly socket: dgram.Socket, readonly port: number) {
    this.sender = new transportModule.DatagramSender(socket);
  }
}

function run(mode: Mode, paths: Path[], packets: Buffer[], count: number): number {
  const view = new RtpPacket();
  let check = 0;
  for (let n = 0; n < count; n++) {
    const buf = packets[n % DISTINCT];
    buf[2] = (n >> 8) & 0xff;
    buf[3] = n & 0xff;
    const p = parseRtp(buf, buf.length, view);
    if (!p) continue;
    for (let c = 0; c < paths.length; c++) {
      const path = paths[c];
      const tseq = (path.transportSeq + 1) & 0xffff;
      const region = path.rtx.reserve(p.length + RtpRewriter.headerGrowth);
      if (!region) continue;
      const out = path.rewriter.rewrite(p, n, tseq, region);
      if (!out) continue;
      path.rtx.commit(out.offset, out.length, n);
      path.transportSeq = tseq;
      if (mode === 'alloc' || mode === 'protect-alloc') {
        const protectedPacket = path.srtp.protectRtp(out.buffer, out.offset, out.length);
        if (!protectedPacket) continue;
        check += protectedPacket[protectedPacket.length - 1];
        if (mode === 'alloc') path.socket.send(protectedPacket, path.port, '127.0.0.1');
      } else {
        const dst = path.sender.buffer(out.length + path.srtp.rtpOverhead);
        const length = path.srtp.protectRtpInto(out.buffer, out.offset, out.length, dst, 0);
        if (length < 0) continue;
        check += dst[length - 1];
        if (mode === 'reuse') path.sender.send(length, path.port, '127.0.0.1');
      }
    }
  }
  return check;
}

async function socketPair(): Promise<{ send: dgram.Socket; recv: dgram.Socket; port: number }> {
  const recv = dgram.createSocket('udp4');
  await new Promise<void>((r) => recv.bind(0, '127.0.0.1', () => r()));
  const send = dgram.createSocket({ type: 'udp4', lookup: ((a: string, _o: unknown, cb: (e: null, a: string, f: number) => void) => cb(null, a, 4)) as never });
  await new Promise<void>((r) => send.bind(0, '127.0.0.1', () => r()));
  return { send, recv, port: recv.address().port };
}

const packets = makePackets();
const fanout = Number(process.env.SEND_PATH_FANOUT ?? 4);
const pairs = await Promise.all(Array.from({ length: fanout }, () => socketPair()));
const paths = pairs.map((s) => new Path(s.send, s.port));
const fixed = Number(process.env.SEND_PATH_PACKETS ?? 0);
if (fixed > 0) {
  // Fixed work for callgrind: one mode, `fixed` source packets × fanout sends.
  const mode = (process.env.SEND_PATH_MODE ?? 'reuse') as Mode;
  if (!MODES.includes(mode)) throw new Error(`SEND_PATH_MODE must be one of ${MODES.join(', ')}`);
  const check = run(mode, paths, packets, fixed);
  console.log(`${mode}: ${fixed} packets × ${fanout} consumers, check ${check}`);
} else {
  console.log(`send path, ${PACKET_SIZE}-byte packets, ${fanout} consumers, Node ${process.version}`);
  for (const mode of MODES) {
    run(mode, paths, packets, 5000); // warm up
    const count = 40000;
    const c0 = process.cpuUsage();
    const check = run(mode, paths, packets, count);
    const c = process.cpuUsage(c0);
    const ns = ((c.user + c.system) * 1000) / (count * fanout);
    console.log(`${mode.padEnd(14)} ${ns.toFixed(0).padStart(6)} ns/packet CPU (user ${((c.user * 1000) / (count * fanout)).toFixed(0)})  check ${check % 997}`);
  }
}
for (const s of pairs) {
  s.send.close();
  s.recv.close();
}
