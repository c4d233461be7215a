import { verify as argon2Verify } from '@node-rs/argon2';
import { PodiumError, newId, type EventId, type RegisterBody, type RegisterResult, type RegistrationId } from '@podium/protocol';
import type { AppContext } from '../context';
import { emailAsTyped, emailLower } from '../accounts/email-address';
import { confirmationEmail } from './emails';
import { validateFieldAnswers, type FieldAnswers } from './fields';
import { buildIcs } from './ics';
import { ipPrefix } from './ip-prefix';
import { joinTokenExpiry, signJoinToken } from './join-token';
import { RegistrationTargetCache, type RegistrationTarget } from './event-cache';
import { SEATS_LEFT_SQL } from './seats';

// Registering locks the event row FOR SHARE: registrations run side by side, while any change to
// the event (which locks it FOR UPDATE) waits for those in flight, and those that come after
// re-check the revision against the changed row. Every SQL lock in this domain takes the event
// row first, so nothing waits in a cycle.
const EVENT_CHECK = `
  ev as (
    select org_id from events
     where id = $1 and revision = $2 and status in ('scheduled', 'live') and (capacity is null) = $14::boolean
       and (not $3::boolean or exists (select 1 from event_invitees i where i.event_id = $1 and i.email_lower = $6))
     for share
  )`;

const INSERT_REGISTRATION = `
  insert into registrations (id, event_id, org_id, email, email_lower, name, fields, role, consent_version, consent_at, locale, ip_prefix, created_at)
  select $4, $1, ev.org_id, $5, $6, $7, $8, $9, $10, $11, $12, $13, $11`;

/** The statement for an event without a capacity: nothing to count. */
const REGISTER_UNLIMITED_SQL = `with ${EVENT_CHECK} ${INSERT_REGISTRATION} from ev returning id`;

/**
 * The statement for an event with a capacity. Normally it takes one free seat from a pool row
 * nobody else holds (SKIP LOCKED). When every pool with seats was held, `wait` locks all pools
 * that still have seats, waiting for their holders, and takes one from the fullest: a definite
 * answer, since free seats only shrink while registrations hold the event FOR SHARE.
 */
function registerWithSeatSql(wait: boolean): string {
  const pick = wait
    ? `held as (
    select p.pool, p.remaining from event_seat_pools p
     where p.event_id = $1 and p.remaining > 0 and exists (select 1 from ev)
     for update
  ),
  pool as (select pool from held order by remaining desc limit 1)`
    : `pool as (
    select p.pool from event_seat_pools p
     where p.event_id = $1 and p.remaining > 0 and exists (select 1 from ev)
     order by random() limit 1
     for update skip locked
  )`;
  return `with ${EVENT_CHECK},
  ${pick},
  seat as (
    update event_seat_pools p set remaining = p.remaining - 1 from pool
     where p.event_id = $1 and p.pool = pool.pool
    returning p.pool
  )
  ${INSERT_REGISTRATION} from ev, seat returning id`;
}
const REGISTER_SEAT_SQL = registerWithSeatSql(false);
const REGISTER_SEAT_WAITING_SQL = registerWithSeatSql(true);

interface EventState {
  revision: number;
  status: string;
  capacity: number | null;
  seats_left: number | null;
  access_mode: string;
  registered: boolean;
  invited: boolean;
}

/** Thrown inside the transaction to roll it back when the statement registered nobody. */
class NotRegistered extends Error {}

const MAX_ATTEMPTS = 6;

/**
 * Registers people for events: the hot path of a big webinar's launch. Per registration it costs
 * one transaction (outbox row + one registration statement); event details come from a cache that
 * the statement validates, and password hashing runs only for password-protected events.
 */
export class Registrar {
  private readonly cache: RegistrationTargetCache;

  constructor(private readonly ctx: AppContext) {
    this.cache = new RegistrationTargetCache(ctx.sql, { maxEntries: 5000, ttlMs: 60_000, now: () => Date.now() });
  }

  /** Registers one person and emails the confirmation with their join link and an .ics file. */
  async register(eventId: EventId, body: RegisterBody, ip: string | undefined): Promise<RegisterResult> {
    if (body.consentAccepted !== true) throw new PodiumError('CONSENT_REQUIRED');
    if (!body.name.trim()) throw new PodiumError('VALIDATION_FAILED', undefined, { issues: [{ path: '/body/name', message: 'must not be blank' }] });
    const email = emailAsTyped(body.email);
    const lower = emailLower(body.email);
    let { target, fromCache } = await this.cache.get(eventId);
    let passwordOkFor: string | null = null;
    let waitForSeat = false;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      let answers: FieldAnswers;
      try {
        answers = this.precheck(target, body);
        if (target!.accessMode === 'password' && passwordOkFor !== target!.passwordHash) {
          if (!(await passwordMatches(target!.passwordHash, body.password))) {
            throw new PodiumError('EVENT_PASSWORD_REQUIRED', body.password ? 'The event password is wrong.' : undefined);
          }
          passwordOkFor = target!.passwordHash;
        }
      } catch (err) {
        // Never reject on what may be a stale copy: read the event again and re-check once.
        if (fromCache) {
          ({ target, fromCache } = { target: await this.cache.reload(eventId), fromCache: false });
          attempt--;
          continue;
        }
        throw err;
      }
      const t = target!;
      const id = await this.tryInsert(t, body, answers, email, lower, ip, waitForSeat);
      if (id) return { registrationId: id, emailedTo: email };
      const retry = await this.explainRejection(t, lower);
      if (retry === 'seats-busy') waitForSeat = true;
      else {
        target = await this.cache.reload(eventId);
        fromCache = false;
      }
    }
    throw new PodiumError('INTERNAL', 'The event kept changing; please try again.');
  }

  /** The checks that need no database: event open, consent version current, answers valid. */
  private precheck(target: RegistrationTarget | null, body: RegisterBody): FieldAnswers {
    if (!target) throw new PodiumError('EVENT_NOT_FOUND');
    if (target.status !== 'scheduled' && target.status !== 'live') throw new PodiumError('REGISTRATION_CLOSED');
    if (body.consentVersion !== target.consentVersion) {
      throw new PodiumError('CONSENT_OUTDATED', undefined, { currentVersion: target.consentVersion });
    }
    return validateFieldAnswers(target.registrationFields, body.fields);
  }

  /** One transaction: the confirmation email, then the registration (and seat). Null when the statement registered nobody. */
  private async tryInsert(
    t: RegistrationTarget, body: RegisterBody, answers: FieldAnswers, email: string, lower: string, ip: string | undefined, waitForSeat: boolean,
  ): Promise<RegistrationId | null> {
    const ctx = this.ctx;
    const id = newId('registration');
    const now = ctx.now();
    const role = t.presenters.has(lower) ? 'presenter' : 'attendee';
    const name = body.name.trim();
    const expires = joinTokenExpiry(t.startsAt, t.durationMinutes);
    const token = signJoinToken(ctx.secrets, { e: t.id, r: id, role, exp: Math.floor(expires.getTime() / 1000) });
    const joinUrl = `${ctx.config.publicUrl}/join/${token}`;
    const content = confirmationEmail(
      { title: t.title, orgName: t.orgName, startsAt: t.startsAt, durationMinutes: t.durationMinutes, timeZone: t.timeZone },
      name, joinUrl, role,
    );
    const ics = buildIcs({
      uid: `${t.id}@podium`,
      start: t.startsAt,
      end: new Date(t.startsAt.getTime() + t.durationMinutes * 60_000),
      stamp: now,
      summary: t.title,
      description: t.description ? `${t.description}\n\nJoin: ${joinUrl}` : `Join: ${joinUrl}`,
      url: joinUrl,
    });
    // Presenters are picked by the host, so an invitation-only event lets them in without an invitation.
    const needsInvitation = t.accessMode === 'invitation' && role !== 'presenter';
    const [statement, prepare] = t.capacity === null ? [REGISTER_UNLIMITED_SQL, 'podium_register_unlimited']
      : waitForSeat ? [REGISTER_SEAT_WAITING_SQL, 'podium_register_seat_waiting'] : [REGISTER_SEAT_SQL, 'podium_register_seat'];
    try {
      return await ctx.sql.transaction(async (tx) => {
        await ctx.mailer.send({
          orgId: t.orgId, to: email, ...content,
          attachments: [{ filename: 'event.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: ics }],
        }, tx);
        const rows = await tx.query<{ id: RegistrationId }>(statement, [
          t.id, t.revision, needsInvitation, id, email, lower, name, JSON.stringify(answers), role,
          body.consentVersion, now, body.locale ?? null, ipPrefix(ip), t.capacity === null,
        ], { prepare });
        if (!rows.length) throw new NotRegistered();
        return rows[0].id;
      });
    } catch (err) {
      if (err instanceof NotRegistered) return null;
      if ((err as { code?: string }).code === '23505') throw new PodiumError('ALREADY_REGISTERED');
      throw err;
    }
  }

  /**
   * Says why the statement registered nobody. Throws the answer for the person; returns 'changed'
   * when the event changed meanwhile (read it again), 'seats-busy' when seats are left but every
   * pool holding them was taken by a registration in flight (wait for one next time).
   */
  private async explainRejection(t: RegistrationTarget, lower: string): Promise<'changed' | 'seats-busy'> {
    const rows = await this.ctx.sql.query<EventState>(
      `select e.revision, e.status, e.capacity, e.access_mode, ${SEATS_LEFT_SQL} as seats_left,
              exists (select 1 from registrations r where r.event_id = e.id and r.email_lower = $2) as registered,
              exists (select 1 from event_invitees i where i.event_id = e.id and i.email_lower = $2) as invited
         from events e where e.id = $1`,
      [t.id, lower],
    );
    const s = rows[0];
    if (!s) throw new PodiumError('EVENT_NOT_FOUND');
    if (s.revision !== t.revision) return 'changed';
    if (s.registered) throw new PodiumError('ALREADY_REGISTERED');
    if (s.status !== 'scheduled' && s.status !== 'live') throw new PodiumError('REGISTRATION_CLOSED');
    if (s.access_mode === 'invitation' && !s.invited && !t.presenters.has(lower)) throw new PodiumError('NOT_INVITED');
    if (s.capacity !== null && s.seats_left === 0) throw new PodiumError('EVENT_FULL');
    return s.capacity !== null ? 'seats-busy' : 'changed';
  }
}

async function passwordMatches(hash: string | null, password: string | undefined): Promise<boolean> {
  if (!hash || !password) return false;
  try {
    return await argon2Verify(hash, password);
  } catch {
    return false;
  }
}
