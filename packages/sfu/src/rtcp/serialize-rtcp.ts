/**
 * RTCP serializers: SR, RR, generic NACK, PLI, FIR, REMB and transport-cc feedback, plus compound
 * concatenation. Every packet is a whole number of 32-bit words with a correct length field.
 */
import { seqDiff } from '../util/seq';
import { writeU32 } from '../rtp/rtp-packet';
import {
  type FullIntraRequest,
  type GenericNack,
  type PictureLossIndication,
  type ReceiverReport,
  type Remb,
  type ReportBlock,
  RtcpFeedbackFormat,
  type RtcpPacket,
  RtcpPacketType,
  type SenderReport,
} from './rtcp-packets';
import { serializeTransportCc } from './transport-cc';

/** Most report blocks in one SR/RR (5-bit count); extra blocks are left out. */
export const MAX_REPORT_BLOCKS = 31;

function header(buf: Buffer, countOrFmt: number, type: number): void {
  buf[0] = 0x80 | (countOrFmt & 0x1f);
  buf[1] = type;
  buf.writeUInt16BE(buf.length / 4 - 1, 2);
}

function writeReportBlocks(buf: Buffer, at: number, reports: readonly ReportBlock[]): void {
  for (const r of reports) {
    writeU32(buf, at, r.ssrc);
    buf[at + 4] = r.fractionLost & 0xff;
    buf.writeUIntBE(r.packetsLost & 0xffffff, at + 5, 3);
    writeU32(buf, at + 8, r.highestSequence);
    writeU32(buf, at + 12, r.jitter);
    writeU32(buf, at + 16, r.lastSenderReport);
    writeU32(buf, at + 20, r.delaySinceLastSenderReport);
    at += 24;
  }
}

/** Serializes a sender report (at most 31 report blocks). */
export function serializeSenderReport(sr: Omit<SenderReport, 'type'>): Buffer {
  const reports = sr.reports.slice(0, MAX_REPORT_BLOCKS);
  const buf = Buffer.alloc(28 + reports.length * 24);
  header(buf, reports.length, RtcpPacketType.SR);
  writeU32(buf, 4, sr.ssrc);
  writeU32(buf, 8, sr.ntpSeconds);
  writeU32(buf, 12, sr.ntpFraction);
  writeU32(buf, 16, sr.rtpTimestamp);
  writeU32(buf, 20, sr.packetCount);
  writeU32(buf, 24, sr.octetCount);
  writeReportBlocks(buf, 28, reports);
  return buf;
}

/** Serializes a receiver report (at most 31 report blocks). */
export function serializeReceiverReport(rr: Omit<ReceiverReport, 'type'>): Buffer {
  const reports = rr.reports.slice(0, MAX_REPORT_BLOCKS);
  const buf = Buffer.alloc(8 + reports.length * 24);
  header(buf, reports.length, RtcpPacketType.RR);
  writeU32(buf, 4, rr.ssrc);
  writeReportBlocks(buf, 8, reports);
  return buf;
}

/**
 * Packs sequence numbers into NACK items (PID + 16-bit bitmask of the following 16), in wrap-aware
 * order starting from the oldest. Duplicates are ignored.
 */
export function nackItems(sequenceNumbers: readonly number[]): Array<[pid: number, blp: number]> {
  if (sequenceNumbers.length === 0) return [];
  const ref = sequenceNumbers[0] & 0xffff;
  const sorted = [...new Set(sequenceNumbers.map((s) => s & 0xffff))].sort((a, b) => seqDiff(a, ref) - seqDiff(b, ref));
  const items: Array<[number, number]> = [];
  for (const seq of sorted) {
    const last = items[items.length - 1];
    if (last) {
      const d = seqDiff(seq, last[0]);
      if (d >= 1 && d <= 16) {
        last[1] |= 1 << (d - 1);
        continue;
      }
    }
    items.push([seq, 0]);
  }
  return items;
}

/** Serializes a generic NACK. */
export function serializeNack(nack: Omit<GenericNack, 'type'>): Buffer {
  const items = nackItems(nack.sequenceNumbers);
  const buf = Buffer.alloc(12 + items.length * 4);
  header(buf, RtcpFeedbackFormat.NACK, RtcpPacketType.RTPFB);
  writeU32(buf, 4, nack.senderSsrc);
  writeU32(buf, 8, nack.mediaSsrc);
  items.forEach(([pid, blp], k) => {
    buf.writeUInt16BE(pid, 12 + k * 4);
    buf.writeUInt16BE(blp, 14 + k * 4);
  });
  return buf;
}

/** Serializes a picture loss indication. */
export function serializePli(pli: Omit<PictureLossIndication, 'type'>): Buffer {
  const buf = Buffer.alloc(12);
  header(buf, RtcpFeedbackFormat.PLI, RtcpPacketType.PSFB);
  writeU32(buf, 4, pli.senderSsrc);
  writeU32(buf, 8, pli.mediaSsrc);
  return buf;
}

/** Serializes a full intra request (media SSRC field 0, as RFC 5104 requires). */
export function serializeFir(fir: Omit<FullIntraRequest, 'type'>): Buffer {
  const buf = Buffer.alloc(12 + fir.entries.length * 8);
  header(buf, RtcpFeedbackFormat.FIR, RtcpPacketType.PSFB);
  writeU32(buf, 4, fir.senderSsrc);
  fir.entries.forEach((e, k) => {
    writeU32(buf, 12 + k * 8, e.ssrc);
    buf[16 + k * 8] = e.sequenceNumber & 0xff;
  });
  return buf;
}

/** Serializes a REMB (bitrate as 6-bit exponent and 18-bit mantissa, rounded down; at most 255 SSRCs). */
export function serializeRemb(remb: Omit<Remb, 'type'>): Buffer {
  const ssrcs = remb.ssrcs.slice(0, 255);
  let mantissa = Math.max(0, Math.floor(remb.bitrate));
  let exp = 0;
  while (mantissa > 0x3ffff && exp < 63) {
    mantissa = Math.floor(mantissa / 2);
    exp++;
  }
  mantissa = Math.min(mantissa, 0x3ffff);
  const buf = Buffer.alloc(20 + ssrcs.length * 4);
  header(buf, RtcpFeedbackFormat.AFB, RtcpPacketType.PSFB);
  writeU32(buf, 4, remb.senderSsrc);
  writeU32(buf, 12, 0x52454d42);
  buf[16] = ssrcs.length;
  buf[17] = (exp << 2) | (mantissa >> 16);
  buf[18] = (mantissa >> 8) & 0xff;
  buf[19] = mantissa & 0xff;
  ssrcs.forEach((s, k) => writeU32(buf, 20 + k * 4, s));
  return buf;
}

/** Serializes any packet this module knows; BYE is serialized without a reason. */
export function serializeRtcp(packet: RtcpPacket): Buffer {
  switch (packet.type) {
    case 'sr':
      return serializeSenderReport(packet);
    case 'rr':
      return serializeReceiverReport(packet);
    case 'nack':
      return serializeNack(packet);
    case 'pli':
      return serializePli(packet);
    case 'fir':
      return serializeFir(packet);
    case 'remb':
      return serializeRemb(packet);
    case 'transport-cc':
      return serializeTransportCc(packet);
    case 'bye': {
      const ssrcs = packet.ssrcs.slice(0, 31);
      const buf = Buffer.alloc(4 + ssrcs.length * 4);
      header(buf, ssrcs.length, RtcpPacketType.BYE);
      ssrcs.forEach((s, k) => writeU32(buf, 4 + k * 4, s));
      return buf;
    }
  }
}

/** Concatenates packets into one compound RTCP datagram. */
export function serializeCompound(packets: readonly RtcpPacket[]): Buffer {
  return Buffer.concat(packets.map(serializeRtcp));
}
