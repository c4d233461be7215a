/**
 * Deterministic bottleneck-link simulation for congestion-control tests: a sender paced at the
 * estimator's rate, a FIFO bottleneck of fixed capacity with a propagation delay and random loss, a
 * real TwccRecorder at the receiver sending feedback every 100 ms, parsed by the real RTCP parser.
 */
import { SendSideBwe } from '../bwe/send-side-bwe';
import { parseRtcp } from '../rtcp/parse-rtcp';
import { TwccRecorder } from '../twcc/twcc-recorder';
import { Prng } from './prng';

/** Link and run parameters. */
export interface LinkSimOptions {
  /** Bottleneck capacity, bps. */
  capacityBps: number;
  /** One-way propagation delay, ms. */
  propagationMs: number;
  /** Random loss probability per packet (0..1). */
  lossRate?: number;
  /** Simulated duration, ms. */
  durationMs: number;
  /** Estimator under test. */
  bwe: SendSideBwe;
  /** PRNG seed. */
  seed?: number;
  /** Packet size, bytes. Default 1200. */
  packetSize?: number;
  /** Feedback interval, ms. Default 100. */
  feedbackIntervalMs?: number;
}

/** What the run observed. */
export interface LinkSimResult {
  /** Estimate sampled every 100 ms (index × 100 ms). */
  estimates: number[];
  /** Largest queueing delay seen, ms. */
  maxQueueMs: number;
}

/** Runs the simulation in 1 ms steps. */
export function simulateLink(o: LinkSimOptions): LinkSimResult {
  const rng = new Prng(o.seed ?? 1);
  const size = o.packetSize ?? 1200;
  const fbEvery = o.feedbackIntervalMs ?? 100;
  const recorder = new TwccRecorder({ senderSsrc: 1 });
  const inFlight: Array<{ seq: number; arrival: number }> = [];
  const feedback: Array<{ at: number; buf: Buffer }> = [];
  const estimates: number[] = [];
  let seq = 0;
  let nextSend = 0;
  let linkFree = 0;
  let maxQueueMs = 0;
  for (let t = 0; t <= o.durationMs; t++) {
    while (nextSend <= t) {
      const s = seq++ & 0xffff;
      o.bwe.onPacketSent(s, size, nextSend);
      if (rng.next() >= (o.lossRate ?? 0)) {
        const start = Math.max(nextSend, linkFree);
        maxQueueMs = Math.max(maxQueueMs, start - nextSend);
        linkFree = start + (size * 8 * 1000) / o.capacityBps;
        inFlight.push({ seq: s, arrival: linkFree + o.propagationMs });
      }
      nextSend += (size * 8 * 1000) / o.bwe.estimate;
    }
    while (inFlight.length > 0 && inFlight[0].arrival <= t) {
      const p = inFlight.shift()!;
      recorder.record(p.seq, p.arrival * 1000);
    }
    if (t % fbEvery === 0) for (const buf of recorder.buildFeedback()) feedback.push({ at: t + o.propagationMs, buf });
    while (feedback.length > 0 && feedback[0].at <= t) {
      for (const fb of parseRtcp(feedback.shift()!.buf)) if (fb.type === 'transport-cc') o.bwe.onTransportFeedback(fb, t);
    }
    if (t % 100 === 0) estimates.push(o.bwe.estimate);
  }
  return { estimates, maxQueueMs };
}

/** Mean of `xs[from..to)`. */
export function mean(xs: number[], from = 0, to = xs.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += xs[i];
  return s / (to - from);
}
