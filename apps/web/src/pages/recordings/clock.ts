/**
 * The playback's one master clock: a position in ms that runs at the chosen speed from
 * `performance.now()` while playing. Every media element follows it (seeked back when it drifts),
 * so tracks that start and end at different moments, or a stretch with no track at all, still play
 * as one recording.
 */
export class PlaybackClock {
  private base = 0;
  private anchor = 0;
  private running = false;
  private speed = 1;

  constructor(private duration: number, private readonly now: () => number = () => performance.now()) {}

  /** The position in ms. */
  get position(): number {
    if (!this.running) return this.base;
    return Math.min(this.duration, this.base + (this.now() - this.anchor) * this.speed);
  }

  get playing(): boolean {
    return this.running;
  }

  get rate(): number {
    return this.speed;
  }

  /** Sets the length (the clock stops there). */
  setDuration(ms: number): void {
    this.duration = ms;
  }

  play(): void {
    if (this.running) return;
    if (this.base >= this.duration) this.base = 0;
    this.anchor = this.now();
    this.running = true;
  }

  pause(): void {
    if (!this.running) return;
    this.base = this.position;
    this.running = false;
  }

  seek(ms: number): void {
    this.base = Math.max(0, Math.min(this.duration, ms));
    this.anchor = this.now();
  }

  setRate(rate: number): void {
    this.base = this.position;
    this.anchor = this.now();
    this.speed = rate;
  }

  /** Holds the position where it is for this frame (a track is still buffering). */
  hold(): void {
    if (!this.running) return;
    this.base = this.position;
    this.anchor = this.now();
  }
}
