/**
 * What the recordings domain needs from the media plane: a tap on a published track that writes
 * it as WebM to a local file (the SFU worker does the writing), stopped when the track or the
 * recording ends. SfuMediaHandler implements it; tests may give another implementation.
 */
import type { RecordingStats } from '@podium/sfu';

/** A running tap on one producer. */
export interface TapHandle {
  recorderId: string;
  /** `audio` or `video` as the SFU sees it. */
  kind: 'audio' | 'video';
  /** e.g. `video/VP8`. */
  codec: string;
  /** Ends the file and resolves with what was recorded. */
  stop(): Promise<RecordingStats>;
  /** Resolves when the producer closed by itself (the file is then finished already). */
  readonly ended: Promise<RecordingStats>;
  /** Counts of the running tap. */
  stats(): Promise<RecordingStats & { pendingBytes: number }>;
}

/** Taps on the media plane's producers. */
export interface RecordingTaps {
  /** Starts writing producer `producerId` to `path`; rejects for an unknown producer or an unsupported codec. */
  startTap(producerId: string, path: string): Promise<TapHandle>;
}
