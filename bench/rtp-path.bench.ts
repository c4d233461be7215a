/**
 * Micro-benchmark of the SFU's per-packet RTP path: 1 producer → N consumers, realistic 1200-byte
 * VP8 packets with 3 header extensions (transport-cc, mid, video-orientation).
 *
 *   optimized: one parseRtp() into a reused view, then per consumer RtpRewriter.rewrite() into its
 *              preallocated buffer (+ optionally the retransmission-buffer copy and send-history
 *              record that a real consumer does too);
 *   naive:     an object-model parse, then per consumer a header clone, extension remap and a
 *              re-serialization into a new Buffer (what a werift-style forwarder does).
 *
 * Then SRTP protect per packet: ours (keystream window + JavaScript HMAC) against the per-packet
 * node:crypto path it replaced, and AES-GCM. Run: node --import tsx bench/rtp-path.bench.ts (no socket)
 * Wall-clock per packet on one core; on a shared machine, run it when the machine is otherwise idle.
 */
import {
  ExtensionMap,
  parseRtp,
  RetransmissionBuffer,
  RtpExtensionUri,
  RtpPacket,
  RtpRewriter,
  SendHistory,
  Vp8PayloadRewriter,
} from '../packages/sfu/src/index';
import { createHmac, randomBytes } from 'node:crypto';
import { AesCmKeystream, SrtpProfile, SrtpSession } from '../packages/sfu/src/index';
import { Prng } from '../packages/sfu/src/testing/prng';
import { recordBenchmark } from './lib/report';
import { type BuiltExtension, buildRtp, vp8Payload } from '../packages/sfu/src/testing/rtp-builder';

const PACKET_SIZE = 1200;
const DISTINCT_PACKETS = 512;
const FANOUTS = [1, 10, 100, 500];
const TARGET_MS = 1500; // timed run per measurement, after a calibrating warm-up

const producerExt = new ExtensionMap([
  { id: 3, uri: RtpExtensionUri.transportWideCc },
  { id: 4, uri: RtpExtensionUri.mid },
  { id: 13, uri: RtpExtensionUri.videoOrientation },
]);
/** The consumer negotiated the same extensions under other ids: every element is remapped. */
const consumerExt = new ExtensionMap([
  { id: 5, uri: RtpExtensionUri.transportWideCc },
  { id: 1, uri: RtpExtensionUri.mid },
  { id: 7, uri: RtpExtensionUri.videoOrientation },
]);

/** Realistic incoming packets: same stream, advancing seq/ts/pictureId, random VP8 bytes. */
function makePackets(): Buffer[] {
  const rng = new Prng(1);
  const out: Buffer[] = [];
  for (let i = 0; i < DISTINCT_PACKETS; i++) {
    const extensions: BuiltExtension[] = [
      { id: 3, data: Buffer.from([(i >> 8) & 0xff, i & 0xff]) },
      { id: 4, data: Buffer.from('0') },
      { id: 13, data: Buffer.from([0x01]) },
    ];
    const header = buildRtp({ payloadType: 96, sequenceNumber: i, timestamp: i * 3000, ssrc: 0x1234, extensions }).length;
    const vp8 = vp8Payload({ pictureId: 1000 + (i >> 2), tl0PicIdx: i >> 2, temporalId: 0, start: i % 4 === 0, keyframe: i === 0, size: 0 });
    const payload = Buffer.concat([vp8, rng.bytes(PACKET_SIZE - header - vp8.length)]);
    out.push(buildRtp({ payloadType: 96, sequenceNumber: i, timestamp: i * 3000, ssrc: 0x1234, marker: i % 4 === 3, extensions, payload }));
  }
  if (out.some((p) => p.length !== PACKET_SIZE)) throw new Error('packet size mismatch');
  return out;
}

interface Consumer {
  rewriter: RtpRewriter;
  rtx: RetransmissionBuffer;
  history: SendHistory;
  transportSeq: number;
}

function makeConsumers(n: number): Consumer[] {
  return Array.from({ length: n }, (_, i) => ({
    rewriter: new RtpRewriter({
      ssrc: 0x10000 + i, clockRate: 90000, payloadTypes: new Map([[96, 101]]), producerExtensions: producerExt, consumerExtensions: consumerExt,
      mid: String(i % 10), payloadRewriter: new Vp8PayloadRewriter(), initialSequenceNumber: i, initialTimestamp: i,
    }),
    rtx: new RetransmissionBuffer({ slabSize: 256 * 1024, transportWideCcId: 5 }),
    history: new SendHistory(4096),
    transportSeq: 0,
  }));
}

/** Optimized path; `full` adds the retransmission copy and send-history record. Returns a checksum. */
function runOptimized(packets: Buffer[], consumers: Consumer[], rounds: number, full: boolean): number {
  const view = new RtpPacket();
  let check = 0;
  let now = 0;
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < packets.length; k++) {
      now += 1;
      const buf = packets[k];
      // Each round is a new stretch of the stream: keep sequence numbers moving forward.
      buf[2] = ((r * packets.length + k) >> 8) & 0xff;
      buf[3] = (r * packets.length + k) & 0xff;
      const p = parseRtp(buf, buf.length, view);
      if (!p) continue;
      for (let c = 0; c < consumers.length; c++) {
        const con = consumers[c];
        const tseq = (con.transportSeq + 1) & 0xffff;
        if (!full) {
          const out = con.rewriter.rewrite(p, now, tseq);
          if (!out) continue;
          con.transportSeq = tseq;
          check += out.length;
          continue;
        }
        // The real consumer path: write straight into the retransmission slab, index it, record
        // the transport-wide sequence number for the bandwidth estimator.
        const region = con.rtx.reserve(p.length + RtpRewriter.headerGrowth);
        if (!region) continue;
        const out = con.rewriter.rewrite(p, now, tseq, region);
        if (!out) continue;
        con.rtx.commit(out.offset, out.length, now);
        con.history.onPacketSent(tseq, out.length, now);
        con.transportSeq = tseq;
        check += out.length;
      }
    }
  }
  return check;
}

// ---- naive object-model path ------------------------------------------------------------------

interface NaiveHeader {
  version: number;
  padding: boolean;
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcs: number[];
  extensions: BuiltExtension[];
}

function naiveParse(buf: Buffer): { header: NaiveHeader; payload: Buffer } {
  const cc = buf[0] & 0x0f;
  const csrcs: number[] = [];
  for (let i = 0; i < cc; i++) csrcs.push(buf.readUInt32BE(12 + i * 4));
  let off = 12 + cc * 4;
  const extensions: BuiltExtension[] = [];
  if (buf[0] & 0x10) {
    const words = buf.readUInt16BE(off + 2);
    const end = off + 4 + words * 4;
    let i = off + 4;
    while (i < end) {
      const b = buf[i];
      if (b === 0) {
        i++;
        continue;
      }
      const len = (b & 0x0f) + 1;
      extensions.push({ id: b >> 4, data: Buffer.from(buf.subarray(i + 1, i + 1 + len)) });
      i += 1 + len;
    }
    off = end;
  }
  return {
    header: {
      version: buf[0] >> 6, padding: (buf[0] & 0x20) !== 0, marker: (buf[1] & 0x80) !== 0, payloadType: buf[1] & 0x7f,
      sequenceNumber: buf.readUInt16BE(2), timestamp: buf.readUInt32BE(4), ssrc: buf.readUInt32BE(8), csrcs, extensions,
    },
    payload: buf.subarray(off),
  };
}

interface NaiveConsumer {
  ssrc: number;
  seqOffset: number;
  tsOffset: number;
  transportSeq: number;
  mid: string;
}

function runNaive(packets: Buffer[], consumers: NaiveConsumer[], rounds: number): number {
  const twccIn = producerExt.idOf(RtpExtensionUri.transportWideCc);
  const midIn = producerExt.idOf(RtpExtensionUri.mid);
  let check = 0;
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < packets.length; k++) {
      const { header, payload } = naiveParse(packets[k]);
      for (const c of consumers) {
        const h: NaiveHeader = { ...header, csrcs: [...header.csrcs], extensions: header.extensions.map((e) => ({ ...e })) };
        h.ssrc = c.ssrc;
        h.payloadType = 101;
        h.sequenceNumber = (h.sequenceNumber + c.seqOffset) & 0xffff;
        h.timestamp = (h.timestamp + c.tsOffset) >>> 0;
        c.transportSeq = (c.transportSeq + 1) & 0xffff;
        const extensions: BuiltExtension[] = [];
        for (const e of h.extensions) {
          const uri = producerExt.uriOf(e.id);
          if (!uri) continue;
          const id = consumerExt.idOf(uri);
          if (id === 0) continue;
          if (e.id === twccIn) extensions.push({ id, data: Buffer.from([c.transportSeq >> 8, c.transportSeq & 0xff]) });
          else if (e.id === midIn) extensions.push({ id, data: Buffer.from(c.mid) });
          else extensions.push({ id, data: e.data });
        }
        const out = buildRtp({
          payloadType: h.payloadType, sequenceNumber: h.sequenceNumber, timestamp: h.timestamp, ssrc: h.ssrc, marker: h.marker,
          csrcs: h.csrcs, extensions, payload: Buffer.from(payload),
        });
        check += out.length;
      }
    }
  }
  return check;
}

// ---- measurement ------------------------------------------------------------------------------

interface Result {
  /** CPU time (user + system) per forwarded packet, ns: robust against other processes. */
  cpuNs: number;
  /** Wall-clock time per forwarded packet, ns. */
  wallNs: number;
}

function measure(label: string, fanout: number, run: (rounds: number) => number): Result {
  const perRound = DISTINCT_PACKETS * fanout;
  // Warm up (JIT) for 300 ms, then size the timed run from the warm-up speed.
  let warmRounds = 0;
  const w0 = performance.now();
  while (performance.now() - w0 < 300) {
    run(1);
    warmRounds++;
  }
  const rounds = Math.max(1, Math.round((TARGET_MS / (performance.now() - w0)) * warmRounds));
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const check = run(rounds);
  const wall = Number(process.hrtime.bigint() - t0);
  const cpu = process.cpuUsage(cpu0);
  const forwards = rounds * perRound;
  const r = { cpuNs: ((cpu.user + cpu.system) * 1000) / forwards, wallNs: wall / forwards };
  console.log(
    `${label.padEnd(36)} N=${String(fanout).padStart(3)}  ${r.cpuNs.toFixed(0).padStart(6)} ns/packet CPU (${r.wallNs.toFixed(0)} wall)  ` +
      `${(1000 / r.cpuNs).toFixed(2).padStart(5)}M packets/s per core  [${forwards} forwards, check ${check % 997}]`,
  );
  return r;
}

const packets = makePackets();
console.log(`RTP path micro-benchmark: ${PACKET_SIZE}-byte VP8 packets, 3 header extensions, Node ${process.version}\n`);
// Sanity: the optimized and naive paths forward the same packet to the same place.
{
  const c = makeConsumers(1)[0];
  const p = parseRtp(packets[1], packets[1].length, new RtpPacket())!;
  const out = c.rewriter.rewrite(p, 0, 7)!;
  const mine = parseRtp(Buffer.from(out.buffer.subarray(out.offset, out.offset + out.length)))!;
  if (mine.payloadLength !== p.payloadLength || mine.ssrc !== 0x10000 || out.length !== PACKET_SIZE) throw new Error('optimized path sanity check failed');
}
const rows: Array<{ n: number; opt: Result; full: Result; naive: Result }> = [];
for (const n of FANOUTS) {
  const consumers = makeConsumers(n);
  const opt = measure('optimized: parse + rewrite', n, (rounds) => runOptimized(packets, consumers, rounds, false));
  const full = measure('optimized: + rtx store + send history', n, (rounds) => runOptimized(packets, consumers, rounds, true));
  const naiveConsumers = Array.from({ length: n }, (_, i) => ({ ssrc: 0x10000 + i, seqOffset: i, tsOffset: i, transportSeq: 0, mid: String(i % 10) }));
  const naive = measure('naive: object model + new Buffer', n, (rounds) => runNaive(packets, naiveConsumers, rounds));
  rows.push({ n, opt, full, naive });
  console.log('');
}
console.log('summary (CPU ns per forwarded packet):');
for (const r of rows) {
  console.log(
    `  N=${String(r.n).padStart(3)}  optimized ${r.opt.cpuNs.toFixed(0)}  with rtx+history ${r.full.cpuNs.toFixed(0)}  naive ${r.naive.cpuNs.toFixed(0)}  ` +
      `naive/optimized ×${(r.naive.cpuNs / r.opt.cpuNs).toFixed(1)}`,
  );
}

// ---- SRTP protect per forwarded packet ----------------------------------------------------------

/** CPU ns per protected packet over `count` packets of one stream (consecutive sequence numbers). */
function measureSrtp(label: string, protect: (p: Buffer) => void): number {
  const stream = packets.map((p) => Buffer.from(p));
  let seq = 0;
  const run = (rounds: number) => {
    for (let r = 0; r < rounds; r++) {
      for (const p of stream) {
        p[2] = (seq >> 8) & 0xff;
        p[3] = seq & 0xff;
        seq = (seq + 1) & 0xffff;
        protect(p);
      }
    }
    return 0;
  };
  return measure(label, 1, run).cpuNs;
}
const key = randomBytes(16);
const salt = randomBytes(14);
const cm = new SrtpSession(SrtpProfile.AES_CM_128_HMAC_SHA1_80, key, salt);
const gcm = new SrtpSession(SrtpProfile.AEAD_AES_128_GCM, key, salt.subarray(0, 12));
// The previous AES-CM path: keystream of each packet alone, a new node:crypto Hmac per packet.
const ctr = new AesCmKeystream(key);
const authKey = randomBytes(20);
const iv = Buffer.alloc(16);
const roc = Buffer.alloc(4);
const perPacket = (p: Buffer) => {
  const out = Buffer.allocUnsafe(p.length + 10);
  p.copy(out, 0, 0, 12);
  iv[13] = p[3];
  ctr.xor(iv, p, 12, out, 12, p.length - 12);
  createHmac('sha1', authKey).update(out.subarray(0, p.length)).update(roc).digest().copy(out, p.length, 0, 10);
};
console.log('SRTP protect, 1200-byte packets of one stream:');
const srtp = {
  ours: measureSrtp('AES-CM: keystream window + JS HMAC', (p) => cm.protectRtp(p, 0, p.length)),
  perPacket: measureSrtp('AES-CM: per-packet node:crypto', perPacket),
  gcm: measureSrtp('AES-GCM: per-packet node:crypto', (p) => gcm.protectRtp(p, 0, p.length)),
};
console.log('');

recordBenchmark(
  'bench:rtp — RTP forwarding path (parse + per-consumer rewrite) and SRTP protect, no network',
  `${PACKET_SIZE}-byte VP8 packets with 3 header extensions remapped per consumer; CPU ns per forwarded packet
(process CPU time / forwards). "naive" builds a header object and a new Buffer per consumer, as a generic
object-model forwarder does. This first table has no SRTP and no UDP send (they dominate the real per-packet cost).

| consumers | optimized ns | + RTX store + send history ns | naive ns | naive / optimized |
|---|---|---|---|---|
${rows.map((r) => `| ${r.n} | ${r.opt.cpuNs.toFixed(0)} | ${r.full.cpuNs.toFixed(0)} | ${r.naive.cpuNs.toFixed(0)} | ×${(r.naive.cpuNs / r.opt.cpuNs).toFixed(1)} |`).join('\n')}

SRTP protect of the same packets (one stream, consecutive sequence numbers), CPU ns per packet, same run:

| AES-CM: keystream window + JS HMAC-SHA1 (ours) | AES-CM: per-packet node:crypto (ECB call + new Hmac, the previous path) | AEAD_AES_128_GCM: new cipher per packet | per-packet / ours |
|---|---|---|---|
| ${srtp.ours.toFixed(0)} | ${srtp.perPacket.toFixed(0)} | ${srtp.gcm.toFixed(0)} | ×${(srtp.perPacket / srtp.ours).toFixed(2)} |`,
);
