/**
 * Dominant-speaker detection from RFC 6464 audio levels (one per audio packet). Each producer's level
 * is turned into an activity score (how far above the silence floor), smoothed with an exponential
 * time constant; on each tick the loudest producer becomes dominant when it clearly beats the current
 * one and the current one has held the floor for a minimum time. The last speaker stays dominant
 * through silence (a room does not lose its speaker when everyone pauses).
 */
import { TypedEmitter } from '../util/typed-emitter';

/** Options of an ActiveSpeakerDetector. */
export interface ActiveSpeakerOptions {
  /** Levels at or above this -dBov count as silence. Default 60. */
  silenceDbov?: number;
  /** Smoothing time constant. Default 300 ms. */
  timeConstantMs?: number;
  /** Minimum time a dominant speaker keeps the floor. Default 1500 ms. */
  holdMs?: number;
  /** A challenger must exceed the dominant score × this. Default 1.5. */
  switchRatio?: number;
  /** Smoothed score below which a producer is not considered speaking. Default 5. */
  minScore?: number;
  /** Trust the sender's voice-activity flag (level counts as silence without it). Default false. */
  useVoiceFlag?: boolean;
  /** A producer with no packet for this long is decayed as silent. Default 200 ms. */
  staleMs?: number;
}

/** Events of an ActiveSpeakerDetector. */
export type ActiveSpeakerEvents = {
  /** The dominant speaker changed (null when the last candidate left). */
  dominantspeakerchange: [producerId: string | null];
};

interface Speaker {
  score: number;
  lastMs: number;
}

/** Room-level dominant-speaker detector (see file comment). Drive it with tick() every 100–300 ms. */
export class ActiveSpeakerDetector extends TypedEmitter<ActiveSpeakerEvents> {
  private readonly silence: number;
  private readonly tau: number;
  private readonly holdMs: number;
  private readonly ratio: number;
  private readonly minScore: number;
  private readonly useVoiceFlag: boolean;
  private readonly staleMs: number;
  private readonly speakers = new Map<string, Speaker>();
  private dominant: string | null = null;
  private dominantSinceMs = 0;

  /** Creates a detector with no producers. */
  constructor(options: ActiveSpeakerOptions = {}) {
    super();
    this.silence = options.silenceDbov ?? 60;
    this.tau = options.timeConstantMs ?? 300;
    this.holdMs = options.holdMs ?? 1500;
    this.ratio = options.switchRatio ?? 1.5;
    this.minScore = options.minScore ?? 5;
    this.useVoiceFlag = options.useVoiceFlag ?? false;
    this.staleMs = options.staleMs ?? 200;
  }

  /** Current dominant speaker's producer id, or null. */
  get dominantSpeaker(): string | null {
    return this.dominant;
  }

  /** Smoothed activity score of a producer (0 when unknown), for diagnostics and UI meters. */
  scoreOf(producerId: string): number {
    return this.speakers.get(producerId)?.score ?? 0;
  }

  /** Feeds one audio level (0 loudest … 127 silent, -dBov) of a producer. */
  onAudioLevel(producerId: string, levelDbov: number, voice: boolean, nowMs: number): void {
    const activity = this.useVoiceFlag && !voice ? 0 : Math.max(0, this.silence - levelDbov);
    let s = this.speakers.get(producerId);
    if (!s) {
      s = { score: 0, lastMs: nowMs };
      this.speakers.set(producerId, s);
    }
    this.smooth(s, activity, nowMs);
  }

  /** Forgets a producer; if it was dominant, the next loudest (or null) takes over at once. */
  removeProducer(producerId: string, nowMs: number): void {
    this.speakers.delete(producerId);
    if (this.dominant !== producerId) return;
    this.dominant = null;
    const next = this.loudest();
    this.setDominant(next && next.score >= this.minScore ? next.id : null, nowMs);
  }

  /** Decays silent producers and re-evaluates who is dominant. */
  tick(nowMs: number): void {
    for (const s of this.speakers.values()) if (nowMs - s.lastMs >= this.staleMs) this.smooth(s, 0, nowMs);
    const top = this.loudest();
    if (!top || top.score < this.minScore || top.id === this.dominant) return;
    if (this.dominant === null) {
      this.setDominant(top.id, nowMs);
      return;
    }
    if (nowMs - this.dominantSinceMs < this.holdMs) return;
    if (top.score > this.scoreOf(this.dominant) * this.ratio) this.setDominant(top.id, nowMs);
  }

  private smooth(s: Speaker, activity: number, nowMs: number): void {
    const dt = Math.max(0, nowMs - s.lastMs);
    const alpha = dt === 0 ? 0.05 : 1 - Math.exp(-dt / this.tau);
    s.score += (activity - s.score) * alpha;
    s.lastMs = nowMs;
  }

  private loudest(): { id: string; score: number } | null {
    let best: { id: string; score: number } | null = null;
    for (const [id, s] of this.speakers) if (!best || s.score > best.score) best = { id, score: s.score };
    return best;
  }

  private setDominant(id: string | null, nowMs: number): void {
    if (id === this.dominant && id !== null) return;
    this.dominant = id;
    this.dominantSinceMs = nowMs;
    this.emit('dominantspeakerchange', id);
  }
}
