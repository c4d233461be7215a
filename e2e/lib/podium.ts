import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CreateEventBody, Event, Me } from '@podium/protocol';
import { freePort, startChildServer, type ChildServer } from '../../apps/server/src/testing/child-server';
import { TestClient } from '../../apps/server/src/testing/client';
import { startSmtpCapture, type SmtpCapture } from '../../apps/server/src/testing/smtp';

/** The repository root (this file is e2e/lib/podium.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The built web app the server serves; the suite runs after `npm run build:web`. */
export const WEB_DIST = join(REPO_ROOT, 'apps/web/dist');

/** Fails with what to run when the web app has not been built. */
export function assertWebBuilt(): void {
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    throw new Error(`The web app is not built (${join(WEB_DIST, 'index.html')} is missing). Run \`npm run build:web\` first; scripts/test-all.sh does.`);
  }
}

/** A Podium instance of its own: a child process on the embedded PGlite store, mail going to a real SMTP capture. */
export interface Podium {
  /** http://127.0.0.1:PORT (or the address given as `publicHost`) — also the public URL in emails. */
  url: string;
  server: ChildServer;
  /** Every email Podium delivered over SMTP. */
  smtp: SmtpCapture;
  /** The temporary data folder (PGlite files, generated secret). */
  dataDir: string;
  /** Stops the server and the SMTP capture and removes the data folder; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts Podium exactly as `npm run serve` does, on a fresh temporary data folder, with SMTP pointing at
 * a capture server and the job runner on (the mail job delivers). The per-IP limit on sign-in and
 * registration is raised because every browser context of the suite comes from 127.0.0.1.
 */
export async function startPodium(extraEnv: Record<string, string> = {}, options: { publicHost?: string; port?: number } = {}): Promise<Podium> {
  assertWebBuilt();
  const smtp = await startSmtpCapture();
  const dataDir = mkdtempSync(join(tmpdir(), 'podium-e2e-'));
  // Reached at another local address (browsers in a network namespace): listen everywhere, and
  // make that address the public URL (signaling accepts only its origin) and the media candidate.
  const reachable: Record<string, string> = {};
  if (options.publicHost) {
    const port = options.port ?? (await freePort());
    Object.assign(reachable, { HOST: '0.0.0.0', PORT: String(port), PODIUM_PUBLIC_URL: `http://${options.publicHost}:${port}`, PODIUM_MEDIA_LISTEN_IP: '0.0.0.0', PODIUM_MEDIA_ANNOUNCED_IP: options.publicHost });
  }
  let server: ChildServer;
  try {
    server = await startChildServer({
      PODIUM_DATA_DIR: dataDir,
      SMTP_URL: smtp.url,
      PODIUM_JOBS: 'true',
      PODIUM_AUTH_RATE_LIMIT: '1000',
      PODIUM_WEB_DIR: WEB_DIST,
      ...reachable,
      ...extraEnv,
    });
  } catch (err) {
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  return {
    url: reachable.PODIUM_PUBLIC_URL ?? server.url,
    server,
    smtp,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.allSettled([server.stop(), smtp.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A person used by a test. */
export interface Person {
  name: string;
  email: string;
  password: string;
}

/** A distinct person per call, so tests sharing a server never collide on an email address. */
export function person(label: string): Person {
  const n = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const first = label.charAt(0).toUpperCase() + label.slice(1);
  return { name: `${first} Tester`, email: `${label}.${n}@example.org`, password: `correct horse ${label} battery` };
}

/** The owner and organization created through the first-run setup API, with a signed-in API client. */
export interface SetUpInstance {
  owner: Person;
  orgId: string;
  orgName: string;
  client: TestClient;
}

/** Runs the first-run setup over the API (for tests whose story is not the setup page itself). */
export async function setUpInstance(podium: Podium, orgName = 'Acme Events'): Promise<SetUpInstance> {
  const owner = person('owner');
  const client = new TestClient(podium.url);
  const res = await client.post<Me>('/api/v1/setup', { ...owner, orgName, dataRegion: 'eu-central', locale: 'en' });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${res.text}`);
  const orgId = res.body.memberships[0]?.orgId;
  if (!orgId) throw new Error('setup returned no membership');
  return { owner, orgId, orgName, client };
}

/** An ISO instant `days` from now at 14:00 UTC (always in the future, whatever the test's clock). */
export function daysFromNow(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(14, 0, 0, 0);
  return d.toISOString();
}

/** Creates an event through the REST API as the signed-in host of `client`. */
export async function createEventViaApi(client: TestClient, orgId: string, body: Partial<CreateEventBody> & { title: string }): Promise<Event> {
  const res = await client.post<Event>(`/api/v1/orgs/${orgId}/events`, {
    type: 'webinar',
    startsAt: daysFromNow(14),
    durationMinutes: 60,
    timeZone: 'Europe/Berlin',
    accessMode: 'registration',
    consentText: 'I agree that the organizer stores my name and email to run this event.',
    ...body,
  });
  if (res.status !== 201 && res.status !== 200) throw new Error(`creating the event failed: ${res.status} ${res.text}`);
  return res.body;
}
