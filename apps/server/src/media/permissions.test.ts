import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { PodiumError } from '@podium/protocol';
import { mayPublishKind } from '../rooms/publish-rights';
import { SfuWorker } from '@podium/sfu';
import { WorkerPool } from './worker-pool';

describe('who may publish', () => {
  it('everyone in a meeting; in a webinar or a training hosts and presenters, and attendees a host brought on stage', () => {
    const who = (type: 'webinar' | 'meeting' | 'training', grant: 'none' | 'speaker' | 'camera', kind: 'audio' | 'video' | 'screen') =>
      (['host', 'presenter', 'attendee'] as const).filter((r) => mayPublishKind(type, r, grant, kind));
    expect(who('meeting', 'none', 'video')).toEqual(['host', 'presenter', 'attendee']);
    for (const type of ['webinar', 'training'] as const) {
      for (const kind of ['audio', 'video', 'screen'] as const) {
        expect(who(type, 'none', kind), `${type} ${kind}`).toEqual(['host', 'presenter']);
        expect(who(type, 'speaker', kind), `${type} speaker ${kind}`).toEqual(['host', 'presenter', 'attendee']);
      }
    }
    // A camera grant (training) is the camera alone.
    expect(who('training', 'camera', 'video')).toEqual(['host', 'presenter', 'attendee']);
    expect(who('training', 'camera', 'audio')).toEqual(['host', 'presenter']);
    expect(who('training', 'camera', 'screen')).toEqual(['host', 'presenter']);
  });
});

describe('the SFU worker pool', () => {
  it('when no worker can start, media answers MEDIA_UNAVAILABLE naming the reason and does not retry at once', async () => {
    let attempts = 0;
    const pool = new WorkerPool({
      count: 2,
      log: pino({ level: 'silent' }),
      startRetryDelayMs: 1,
      start: async () => {
        attempts++;
        throw new Error('no threads here');
      },
    });
    await expect(pool.workers()).rejects.toMatchObject({ code: 'MEDIA_UNAVAILABLE', message: expect.stringContaining('no threads here') });
    await expect(pool.workers()).rejects.toBeInstanceOf(PodiumError);
    expect(attempts).toBe(6); // three attempts per thread, then remembered
    expect(pool.started).toEqual([]);
    await pool.close();
  });

  it('a worker that fails to start (a slow machine) is retried and the pool starts complete', async () => {
    let attempts = 0;
    const pool = new WorkerPool({
      count: 2,
      log: pino({ level: 'silent' }),
      startRetryDelayMs: 1,
      start: async () => {
        attempts++;
        if (attempts <= 2) throw new Error('The media worker is not available. The SFU worker thread did not start (no answer within 60 s).');
        return SfuWorker.inThread();
      },
    });
    const workers = await pool.workers();
    expect(workers).toHaveLength(2);
    expect(attempts).toBe(4);
    await pool.close();
  });
});
