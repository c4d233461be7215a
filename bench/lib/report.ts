import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { machineDescription } from './machine';

const FILE = new URL('../../docs/benchmarks.md', import.meta.url);
const HEADER = `# Benchmarks

Numbers measured by the \`npm run bench:*\` scripts on the machine named in each entry. Each script
appends its newest results under its own heading; older runs stay below for comparison. These
machines are shared and noisy: compare ratios measured in the same run rather than absolute values
across runs.
`;

/** Adds a dated result block under `## title` in docs/benchmarks.md (newest first) and prints it. */
export function recordBenchmark(title: string, body: string): void {
  const stamp = new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const block = `### ${stamp} — ${machineDescription()}\n\n${body.trim()}\n`;
  process.stdout.write(`\n${title}\n${block}\n`);
  let doc = existsSync(FILE) ? readFileSync(FILE, 'utf8') : HEADER;
  const heading = `## ${title}`;
  const at = doc.indexOf(`${heading}\n`);
  if (at === -1) doc = `${doc.trimEnd()}\n\n${heading}\n\n${block}`;
  else {
    const insertAt = at + heading.length + 1;
    doc = `${doc.slice(0, insertAt)}\n${block}${doc.slice(insertAt)}`;
  }
  writeFileSync(FILE, doc.replace(/\n{3,}/g, '\n\n'));
}
