// The MP4's layout decisions: which camera is large (or small over a screen share) when, from the
// timeline's active-speaker changes, and the ffmpeg graph built from them.
import { describe, expect, it } from 'vitest';
import { composeArgs, speakerSpans } from './mp4-job';

describe('MP4 layout', () => {
  const cams = [
    { id: 'a', participantId: 'prt_a', from: 0, to: 10 },
    { id: 'b', participantId: 'prt_b', from: 2, to: 10 },
  ];

  it('shows the active speaker\'s camera, keeps the last one while nobody speaks, and the first camera before anyone spoke', () => {
    const spans = speakerSpans(cams, [{ at: 4000, participantId: 'prt_b' }, { at: 7000, participantId: null }, { at: 8000, participantId: 'prt_a' }], 10);
    const total = (id: string) => spans.get(id)!.reduce((s, x) => s + x.to - x.from, 0);
    expect(spans.get('a')![0].from).toBe(0);
    expect(spans.get('b')![0].from).toBeCloseTo(4, 1);
    expect(spans.get('b')![0].to).toBeCloseTo(8, 1);
    expect(total('a') + total('b')).toBeCloseTo(10, 1);
  });

  it('puts a screen share large with the speaker small over it, mixes every audio track at its offset, and runs for the recording\'s length', () => {
    const args = composeArgs([
      { file: 's.webm', kind: 'screen', participantId: 'prt_a', offsetMs: 1000, durationMs: 5000, id: 's' },
      { file: 'a.webm', kind: 'video', participantId: 'prt_a', offsetMs: 0, durationMs: 10_000, id: 'a' },
      { file: 'm1.webm', kind: 'audio', participantId: 'prt_a', offsetMs: 120, durationMs: 10_000, id: 'm1' },
      { file: 'm2.webm', kind: 'audio', participantId: 'prt_b', offsetMs: 2500, durationMs: 5000, id: 'm2' },
    ], null, 10_000, 'out.mp4');
    const graph = args[args.indexOf('-filter_complex') + 1];
    expect(graph).toContain('adelay=120:all=1');
    expect(graph).toContain('adelay=2500:all=1');
    expect(graph).toContain('amix=inputs=2');
    expect(graph).toContain('scale=320:180');
    expect(graph).toContain('tpad=start_duration=1.000');
    expect(args).toEqual(expect.arrayContaining(['-c:v', 'libx264', '-c:a', 'aac', '-t', '10.000', '-progress', 'pipe:1']));
  });
});
