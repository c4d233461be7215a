#!/usr/bin/env node
// Builds the SFU's optional native send step (packages/sfu/native) with node-gyp: run by
// `npm install` / `npm ci` (postinstall). Against the installed Node's own headers, no download.
// A failed build does not fail the install: the SFU then protects and sends in JavaScript
// (packages/sfu/src/transport/native-udp.ts says why at start-up), with the same bytes on the wire.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'sfu', 'native');
if (process.platform !== 'linux') {
  console.log(`native send step: skipped on ${process.platform} (JavaScript path in use)`);
  process.exit(0);
}

function nodeGyp() {
  // npm tells its scripts where its bundled node-gyp is; otherwise look next to npm.
  const candidates = [process.env.npm_config_node_gyp, join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')];
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed as a package
  }
  return candidates.find((c) => c && existsSync(c));
}

const gyp = nodeGyp();
if (!gyp) {
  console.warn('native send step: node-gyp not found; the SFU will protect and send in JavaScript');
  process.exit(0);
}
// The headers of the running Node: its install prefix (Debian/NodeSource: /usr/include/node).
const nodedir = process.env.npm_config_nodedir || join(dirname(process.execPath), '..');
const args = [gyp, 'rebuild', `--nodedir=${nodedir}`];
const run = spawnSync(process.execPath, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
if (run.status !== 0) {
  console.warn(`native send step: build failed (the SFU will protect and send in JavaScript)\n${(run.stderr || '').split('\n').filter((l) => !l.startsWith('gyp info')).slice(-15).join('\n')}`);
  process.exit(0);
}
console.log('native send step: built packages/sfu/native/build/Release/podium_udp.node');
