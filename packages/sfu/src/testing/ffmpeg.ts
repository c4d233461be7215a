/** Whether the machine has ffmpeg and ffprobe (the recording tests decode and probe what they write with them). */
import { execFileSync } from 'node:child_process';

function runs(command: string): boolean {
  try {
    execFileSync(command, ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** True when both ffmpeg and ffprobe run (Debian's ffmpeg package brings both). */
export const hasFfmpeg = runs('ffmpeg') && runs('ffprobe');
