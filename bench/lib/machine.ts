import { cpus, totalmem } from 'node:os';

/** One line describing the machine a benchmark ran on. */
export function machineDescription(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}
