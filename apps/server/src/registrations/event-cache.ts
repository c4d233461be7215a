import type { AccessMode, EventId, EventStatus, OrgId, RegistrationField } from '@podium/protocol';
import type { Sql } from '../storage/sql';

/** What registering needs to know about an event, read once and reused across registrations. */
export interface RegistrationTarget {
  id: EventId;
  orgId: OrgId;
  orgName: string;
  /** The events.revision this was read at: the registration statement only succeeds while it is unchanged. */
  revision: number;
  status: EventStatus;
  title: string;
  description: string;
  startsAt: Date;
  durationMinutes: number;
  timeZone: string;
  accessMode: AccessMode;
  /** Null for unlimited events (no seat counting). */
  capacity: number | null;
  passwordHash: string | null;
  registrationFields: RegistrationField[];
  consentVersion: number;
  /** Presenter emails in lookup form. */
  presenters: Set<string>;
}

interface Entry {
  target: RegistrationTarget | null;
  loadedAt: number;
}

interface TargetRow {
  id: EventId;
  org_id: OrgId;
  org_name: string;
  revision: number;
  status: EventStatus;
  title: string;
  description: string;
  starts_at: Date;
  duration_minutes: number;
  time_zone: string;
  access_mode: AccessMode;
  capacity: number | null;
  password_hash: string | null;
  registration_fields: RegistrationField[];
  consent_version: number;
  presenters: string[];
}

/** Reads an event as registering needs it, straight from the store. */
export async function loadRegistrationTarget(sql: Sql, eventId: EventId): Promise<RegistrationTarget | null> {
  const rows = await sql.query<TargetRow>(
    `select e.id, e.org_id, o.name as org_name, e.revision, e.status, e.title, e.description, e.starts_at, e.duration_minutes,
            e.time_zone, e.access_mode, e.capacity, e.password_hash, e.registration_fields, e.consent_version,
            coalesce((select json_agg(p.email_lower) from event_presenters p where p.event_id = e.id), '[]'::json) as presenters
       from events e join organizations o on o.id = e.org_id
      where e.id = $1`,
    [eventId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id, orgId: r.org_id, orgName: r.org_name, revision: r.revision, status: r.status, title: r.title,
    description: r.description, startsAt: r.starts_at, durationMinutes: r.duration_minutes, timeZone: r.time_zone,
    accessMode: r.access_mode, capacity: r.capacity, passwordHash: r.password_hash, registrationFields: r.registration_fields,
    consentVersion: r.consent_version, presenters: new Set(r.presenters),
  };
}

/**
 * A bounded, short-lived cache of registration targets. Entries may be stale (another process may
 * have changed the event): the registration statement checks the revision, and callers re-read
 * before rejecting anyone, so staleness costs a retry, never a wrong answer.
 */
export class RegistrationTargetCache {
  private readonly entries = new Map<EventId, Entry>();
  private readonly loading = new Map<EventId, Promise<RegistrationTarget | null>>();

  constructor(private readonly sql: Sql, private readonly opts: { maxEntries: number; ttlMs: number; now: () => number }) {}

  /** The cached target when fresh enough, else a newly read one; `fromCache` says which. */
  async get(eventId: EventId): Promise<{ target: RegistrationTarget | null; fromCache: boolean }> {
    const e = this.entries.get(eventId);
    if (e && this.opts.now() - e.loadedAt < this.opts.ttlMs) return { target: e.target, fromCache: true };
    return { target: await this.reload(eventId), fromCache: false };
  }

  /** Reads the target from the store (one read in flight per event) and caches it. */
  async reload(eventId: EventId): Promise<RegistrationTarget | null> {
    let p = this.loading.get(eventId);
    if (!p) {
      p = loadRegistrationTarget(this.sql, eventId).then(
        (target) => {
          this.loading.delete(eventId);
          this.put(eventId, target);
          return target;
        },
        (err: unknown) => {
          this.loading.delete(eventId);
          throw err;
        },
      );
      this.loading.set(eventId, p);
    }
    return p;
  }

  private put(eventId: EventId, target: RegistrationTarget | null): void {
    this.entries.delete(eventId);
    this.entries.set(eventId, { target, loadedAt: this.opts.now() });
    // Maps iterate in insertion order: the first key is the least recently loaded.
    while (this.entries.size > this.opts.maxEntries) this.entries.delete(this.entries.keys().next().value as EventId);
  }
}
