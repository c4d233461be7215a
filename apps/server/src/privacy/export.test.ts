// Right of access: the export holds every item made for the person in the world of testing.ts,
// and nothing of the other attendee or the host — checked on the ZIP's bytes.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import { buildPrivacyWorld, type PrivacyWorld } from './testing';
import { buildExport } from './export';
import { readZip, zipStream } from './zip';

async function collect(gen: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of gen) parts.push(b);
  return Buffer.concat(parts);
}

describe.each(STORE_KINDS)('export on %s', (store) => {
  let t: TestServer;
  let w: PrivacyWorld;
  beforeAll(async () => {
    t = await startTestServer({ store, config: { trustProxy: true, signalHeartbeatMs: 1_000 } });
    w = await buildPrivacyWorld(t);
  }, 120_000);
  afterAll(async () => {
    await w?.room.closeAll();
    await t?.close();
  });

  it('buildExport() gives a ZIP with every item of the person and nothing of anyone else', async () => {
    const { entries } = await buildExport(t.server.ctx, { email: w.marta.email });
    const zip = await collect(zipStream(entries));
    const files = readZip(zip);
    const read = (name: string) => JSON.parse(files.get(name)?.toString('utf8') ?? 'null');
    const m = w.marta;

    expect(read('account.json')).toMatchObject({ id: m.userId, email: 'Marta.Kowalska@example.org', name: m.name });
    expect(files.get('account.json')!.toString()).not.toContain('password');
    const regs = read('registrations.json');
    expect(regs).toHaveLength(1);
    expect(regs[0]).toMatchObject({ id: m.registrationId, name: m.name, email: m.email, ip_prefix: '203.0.113.0/24', consent_version: 1 });
    expect(typeof regs[0].consent_text).toBe('string');
    expect(read('attendance.json')).toHaveLength(1);
    expect(read('chat.json').map((c: { id: string }) => c.id)).toEqual(m.chatIds);
    expect(read('questions.json').map((q: { id: string }) => q.id)).toEqual([m.questionId]);
    expect(read('questions-voted.json').map((v: { question_id: string }) => v.question_id)).toEqual([w.bob.questionId]);
    expect(read('poll-answers.json')).toMatchObject([{ poll_id: w.pollId, choice: [0] }]);
    const mails = read('emails.json');
    expect(mails.length).toBeGreaterThanOrEqual(1);
    for (const mail of mails) expect(files.has(`emails/${mail.id}.txt`)).toBe(true);
    const [f] = read('files.json');
    expect(f).toMatchObject({ id: m.fileId, name: 'marta-kowalska-notes.pdf' });
    const bytes = files.get(f.path)!;
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
    expect(read('recordings.json')).toEqual([]);

    // Nothing of Bob, nor of the host, nor of the rest of the chat and Q&A.
    const all = [...files.values()].map((b) => b.toString('latin1')).join('\n');
    for (const other of [w.bob.email, w.bob.name, '198.51.100', 'Bob asks', 'Welcome Marta', 'Thanks Marta, noted', 'Hanna Host', w.bob.registrationId, ...w.bob.chatIds]) {
      expect(all, other).not.toContain(other);
    }
  });

  it('an organization\'s export holds only that organization\'s data', async () => {
    const { entries } = await buildExport(t.server.ctx, { email: w.marta.email, orgId: 'org_00000000000000000000' as never });
    const files = readZip(await collect(zipStream(entries)));
    expect(JSON.parse(files.get('registrations.json')!.toString())).toEqual([]);
    expect(files.has('account.json')).toBe(false);
  });

  it('the ZIP opens with unzip (when installed)', async () => {
    const { entries } = await buildExport(t.server.ctx, { email: w.marta.email });
    const zip = await collect(zipStream(entries));
    const { execFileSync } = await import('node:child_process');
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const p = join(mkdtempSync(join(tmpdir(), 'podium-zip-')), 'export.zip');
    writeFileSync(p, zip);
    let out: string;
    try {
      out = execFileSync('unzip', ['-t', p], { encoding: 'utf8' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    expect(out).toMatch(/No errors detected/);
  });
});
