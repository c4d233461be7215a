import type { EventId } from '@podium/protocol';
import type { SqlRunner } from '../storage/sql';

/** Most rows an event's free seats are spread over: enough that concurrent registrations rarely meet. */
export const SEAT_POOLS = 16;

/**
 * Rewrites an event's free seats from scratch: capacity minus its registrations, spread evenly
 * over the pools (none for an event without a capacity). Exact only while no registration is in
 * flight, so the caller must hold the event row FOR UPDATE (registrations hold it FOR SHARE).
 */
export async function resetSeatPools(tx: SqlRunner, eventId: EventId, capacity: number | null): Promise<void> {
  await tx.query('delete from event_seat_pools where event_id = $1', [eventId]);
  if (capacity === null) return;
  await tx.query(
    `insert into event_seat_pools (event_id, pool, remaining)
     select $1, g, s.free / s.k + case when g < s.free % s.k then 1 else 0 end
       from (select greatest($2::int - (select count(*)::int from registrations where event_id = $1), 0) as free,
                    least($2::int, $3::int) as k) s,
            generate_series(0, least($2::int, $3::int) - 1) g`,
    [eventId, capacity, SEAT_POOLS],
  );
}

/** SQL for the free seats of the event `e` (null without a capacity). */
export const SEATS_LEFT_SQL =
  'case when e.capacity is null then null else (select coalesce(sum(s.remaining), 0)::int from event_seat_pools s where s.event_id = e.id) end';
