/**
 * Compound RTCP parser. Robust by construction: it never throws and never reads past `length`; a
 * packet whose own body is malformed is skipped, and a broken length field ends the walk (what came
 * before is still returned). SDES, APP and unknown types are skipped.
 */
import { readU32 } from '../rtp/rtp-packet';
import {
  type Bye,
  type FirEntry,
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
import { parseTransportCc } from './transport-cc';

const REMB_ID = 0x52454d42; // 'REMB'

/** Parses every packet of the compound RTCP datagram `buf[0..length)`. */
export function parseRtcp(buf: Buffer, length: number = buf.length): RtcpPacket[] {
  const out: RtcpPacket[] = [];
  if (length > buf.length) length = buf.length;
  let offset = 0;
  while (offset + 4 <= length) {
    const b0 = buf[offset];
    if (b0 >> 6 !== 2) break;
    const size = (((buf[offset + 2] << 8) | buf[offset + 3]) + 1) * 4;
    const next = offset + size;
    if (next > length) break;
    let end = next;
    if (b0 & 0x20) {
      const pad = buf[next - 1];
      if (pad === 0 || pad > size - 4) {
        offset = next; // malformed padding: skip this packet
        continue;
      }
      end -= pad;
    }
    const packet = parseOne(buf, offset, end, b0 & 0x1f, buf[offset + 1]);
    if (packet) out.push(packet);
    offset = next;
  }
  return out;
}

function parseOne(buf: Buffer, start: number, end: number, count: number, type: number): RtcpPacket | null {
  switch (type) {
    case RtcpPacketType.SR:
      return parseSr(buf, start, end, count);
    case RtcpPacketType.RR:
      return parseRr(buf, start, end, count);
    case RtcpPacketType.BYE:
      return parseBye(buf, start, end, count);
    case RtcpPacketType.RTPFB:
      if (count === RtcpFeedbackFormat.NACK) return parseNack(buf, start, end);
      if (count === RtcpFeedbackFormat.TRANSPORT_CC) return parseTransportCc(buf, start, end);
      return null;
    case RtcpPacketType.PSFB:
      if (count === RtcpFeedbackFormat.PLI) return parsePli(buf, start, end);
      if (count === RtcpFeedbackFormat.FIR) return parseFir(buf, start, end);
      if (count === RtcpFeedbackFormat.AFB) return parseRemb(buf, start, end);
      return null;
    default:
      return null; // SDES, APP, XR and anything unknown
  }
}

function parseReportBlocks(buf: Buffer, at: number, end: number, count: number): ReportBlock[] | null {
  if (at + count * 24 > end) return null;
  const reports: ReportBlock[] = [];
  for (let k = 0; k < count; k++, at += 24) {
    reports.push({
      ssrc: readU32(buf, at),
      fractionLost: buf[at + 4],
      packetsLost: (((buf[at + 5] << 16) | (buf[at + 6] << 8) | buf[at + 7]) << 8) >> 8,
      highestSequence: readU32(buf, at + 8),
      jitter: readU32(buf, at + 12),
      lastSenderReport: readU32(buf, at + 16),
      delaySinceLastSenderReport: readU32(buf, at + 20),
    });
  }
  return reports;
}

function parseSr(buf: Buffer, start: number, end: number, count: number): SenderReport | null {
  if (start + 28 > end) return null;
  const reports = parseReportBlocks(buf, start + 28, end, count);
  if (!reports) return null;
  return {
    type: 'sr',
    ssrc: readU32(buf, start + 4),
    ntpSeconds: readU32(buf, start + 8),
    ntpFraction: readU32(buf, start + 12),
    rtpTimestamp: readU32(buf, start + 16),
    packetCount: readU32(buf, start + 20),
    octetCount: readU32(buf, start + 24),
    reports,
  };
}

function parseRr(buf: Buffer, start: number, end: number, count: number): ReceiverReport | null {
  if (start + 8 > end) return null;
  const reports = parseReportBlocks(buf, start + 8, end, count);
  if (!reports) return null;
  return { type: 'rr', ssrc: readU32(buf, start + 4), reports };
}

function parseBye(buf: Buffer, start: number, end: number, count: number): Bye | null {
  let at = start + 4;
  if (at + count * 4 > end) return null;
  const ssrcs: number[] = [];
  for (let k = 0; k < count; k++, at += 4) ssrcs.push(readU32(buf, at));
  const bye: Bye = { type: 'bye', ssrcs };
  if (at < end) {
    const len = buf[at];
    if (at + 1 + len <= end) bye.reason = buf.toString('utf8', at + 1, at + 1 + len);
  }
  return bye;
}

function parseNack(buf: Buffer, start: number, end: number): GenericNack | null {
  if (start + 16 > end) return null;
  const sequenceNumbers: number[] = [];
  for (let at = start + 12; at + 4 <= end; at += 4) {
    const pid = (buf[at] << 8) | buf[at + 1];
    const blp = (buf[at + 2] << 8) | buf[at + 3];
    sequenceNumbers.push(pid);
    for (let bit = 0; bit < 16; bit++) if (blp & (1 << bit)) sequenceNumbers.push((pid + bit + 1) & 0xffff);
  }
  return { type: 'nack', senderSsrc: readU32(buf, start + 4), mediaSsrc: readU32(buf, start + 8), sequenceNumbers };
}

function parsePli(buf: Buffer, start: number, end: number): PictureLossIndication | null {
  if (start + 12 > end) return null;
  return { type: 'pli', senderSsrc: readU32(buf, start + 4), mediaSsrc: readU32(buf, start + 8) };
}

function parseFir(buf: Buffer, start: number, end: number): FullIntraRequest | null {
  if (start + 20 > end) return null;
  const entries: FirEntry[] = [];
  for (let at = start + 12; at + 8 <= end; at += 8) entries.push({ ssrc: readU32(buf, at), sequenceNumber: buf[at + 4] });
  return { type: 'fir', senderSsrc: readU32(buf, start + 4), entries };
}

function parseRemb(buf: Buffer, start: number, end: number): Remb | null {
  if (start + 20 > end || readU32(buf, start + 12) !== REMB_ID) return null;
  const n = buf[start + 16];
  if (start + 20 + n * 4 > end) return null;
  const exp = buf[start + 17] >> 2;
  const mantissa = ((buf[start + 17] & 0x03) << 16) | (buf[start + 18] << 8) | buf[start + 19];
  const ssrcs: number[] = [];
  for (let k = 0; k < n; k++) ssrcs.push(readU32(buf, start + 20 + k * 4));
  return { type: 'remb', senderSsrc: readU32(buf, start + 4), bitrate: mantissa * 2 ** exp, ssrcs };
}
