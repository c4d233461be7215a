import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bundledFfmpeg, findFfmpeg } from './mp4-job';

const run = promisify(execFile);

describe('the ffmpeg shipped in the npm package', () => {
  it('is found when the system has none on the PATH, and encodes H.264 and AAC', async () => {
    const bundled = bundledFfmpeg();
    expect(bundled, 'npm install brings @ffmpeg-installer/ffmpeg on linux-x64').not.toBeNull();
    expect(await findFfmpeg('', '/nonexistent-a:/nonexistent-b')).toBe(bundled);
    const { stdout } = await run(bundled as string, ['-hide_banner', '-encoders']);
    expect(stdout).toMatch(/\blibx264\b/);
    expect(stdout).toMatch(/\baac\b/);
  });

  it('a configured path is the only one tried (the operator chose it)', async () => {
    expect(await findFfmpeg('/nonexistent/ffmpeg')).toBeNull();
  });
});
