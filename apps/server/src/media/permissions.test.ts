import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { PodiumError } from '@podium/protocol';
import { mayPublish } from './media-errors';
import { WorkerPool } from './worker-pool';

describe('who may publish', () => {
  it('everyone in a meeting; only hosts and presenters in a webinar or a training', () => {
    const table = (['webinar', 'meeting', 'training'] as const).map((type) => [type, (['host', 'presenter', 'attendee'] as const).filter((r) => mayPublish(type, r))]);
    expect(Object.fromEntries(table)).toEqual({
      webinar: ['host', 'presenter'],
      meeting: ['host', 'presenter', 'attendee'],
      training: ['host', 'presenter'],
    });
  });
});

describe('the SFU worker pool', () => {
  it('when no worker can start, media answers MEDIA_UNAVAILABLE and does not retry at once', async () => {
    let attempts = 0;
    const pool = new WorkerPool({
      count: 2,
      log: pino({ level: 'silent' }),
      start: async () => {
        attempts++;
        throw new Error('no threads here');
      },
    });
    await expect(pool.workers()).rejects.toMatchObject({ code: 'MEDIA_UNAVAILABLE' });
    await expect(pool.workers()).rejects.toBeInstanceOf(PodiumError);
    expect(attempts).toBe(2);
    expect(pool.started).toEqual([]);
    await pool.close();
  });
});
