/**
 * A slow network for a browser: a network namespace joined to this machine by a veth pair, UDP
 * towards it shaped by tc (HTB at `udpKbit`, a short queue, so an overloaded link both delays and
 * drops like a congested access link), TCP left alone (the page, its API calls and signaling load
 * at full speed). A Chromium started in the namespace receives its WebRTC media through the shaped
 * link and nothing else about it differs.
 *
 * Needs root and iproute2 (`ip`, `tc`), as the test suite has on the CI machine; traffic stays
 * between this machine's own addresses.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_PATH } from './browser';

/** A namespace with a shaped link back to this machine. */
export interface ThrottledNetwork {
  /** This machine's address on the link (servers the namespace must reach listen here too). */
  hostAddress: string;
  /** The namespace's address. */
  guestAddress: string;
  /** Starts Chromium inside the namespace. */
  launchBrowser(args: string[]): Promise<Browser>;
  /** Bytes and packets tc dropped on the shaped link so far. */
  dropped(): { packets: number };
  /** Removes the namespace, the link and the wrapper script. */
  close(): void;
}

const NAME = 'podium-e2e-slow';
const HOST_DEV = 'pe2e-slow0';
const GUEST_DEV = 'pe2e-slow1';
export const HOST_ADDRESS = '10.213.77.1';
const GUEST_ADDRESS = '10.213.77.2';

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
const tryRun = (cmd: string, args: string[]) => {
  try {
    run(cmd, args);
  } catch {
    // absent already
  }
};

function removeLink(): void {
  tryRun('ip', ['link', 'del', HOST_DEV]);
  tryRun('ip', ['netns', 'del', NAME]);
}

/** Creates the namespace and the link (removing what a crashed earlier run may have left). */
export function createThrottledNetwork(udpKbit: number): ThrottledNetwork {
  removeLink();
  run('ip', ['netns', 'add', NAME]);
  run('ip', ['link', 'add', HOST_DEV, 'type', 'veth', 'peer', 'name', GUEST_DEV]);
  run('ip', ['link', 'set', GUEST_DEV, 'netns', NAME]);
  run('ip', ['addr', 'add', `${HOST_ADDRESS}/30`, 'dev', HOST_DEV]);
  run('ip', ['link', 'set', HOST_DEV, 'up']);
  const inNs = (...args: string[]) => run('ip', ['netns', 'exec', NAME, ...args]);
  inNs('ip', 'addr', 'add', `${GUEST_ADDRESS}/30`, 'dev', GUEST_DEV);
  inNs('ip', 'link', 'set', GUEST_DEV, 'up');
  inNs('ip', 'link', 'set', 'lo', 'up');
  // Egress of the host side = everything sent towards the namespace. UDP gets a slow class with a
  // 20-packet queue; the rest an unlimited one.
  run('tc', ['qdisc', 'add', 'dev', HOST_DEV, 'root', 'handle', '1:', 'htb', 'default', '10']);
  run('tc', ['class', 'add', 'dev', HOST_DEV, 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '1gbit']);
  run('tc', ['class', 'add', 'dev', HOST_DEV, 'parent', '1:', 'classid', '1:20', 'htb', 'rate', `${udpKbit}kbit`, 'ceil', `${udpKbit}kbit`, 'burst', '6k']);
  run('tc', ['qdisc', 'add', 'dev', HOST_DEV, 'parent', '1:20', 'handle', '20:', 'pfifo', 'limit', '20']);
  run('tc', ['filter', 'add', 'dev', HOST_DEV, 'parent', '1:', 'protocol', 'ip', 'prio', '1', 'u32', 'match', 'ip', 'protocol', '17', '0xff', 'flowid', '1:20']);
  const dir = mkdtempSync(join(tmpdir(), 'podium-e2e-netns-'));
  const wrapper = join(dir, 'chromium-in-namespace');
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${NAME} ${CHROMIUM_PATH} "$@"\n`);
  chmodSync(wrapper, 0o755);
  return {
    hostAddress: HOST_ADDRESS,
    guestAddress: GUEST_ADDRESS,
    launchBrowser: (args) => chromium.launch({ executablePath: wrapper, args, headless: true }),
    dropped() {
      const m = /Sent \d+ bytes \d+ pkt \(dropped (\d+)/.exec(run('tc', ['-s', 'qdisc', 'show', 'dev', HOST_DEV, 'parent', '1:20']));
      return { packets: m ? Number(m[1]) : 0 };
    },
    close() {
      removeLink();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
