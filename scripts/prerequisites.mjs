// What `npm test` needs from the machine, checked before anything else runs:
// installed here when that is possible (root on Debian, as CI runs), else the
// run stops at once with the exact command to type. Never dozens of failing
// tests for a missing program. `.ci/run` calls this same list.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Each program the tests run, and the Debian package that brings it. */
const NEEDS = [
  { what: 'Chromium (end-to-end tests)', program: process.env.VIGIA_CHROMIUM ?? '/usr/bin/chromium', pkg: 'chromium' },
  { what: 'ping (the last-resort prober)', program: 'ping', pkg: 'iputils-ping' },
  { what: 'fping (the fallback prober, and the benchmarks’ reference)', program: 'fping', pkg: 'fping' },
  { what: 'ip (test network namespaces)', program: 'ip', pkg: 'iproute2' },
  { what: 'nft (unreachable test devices)', program: 'nft', pkg: 'nftables' },
];

function found(program) {
  const candidates = program.includes('/')
    ? [program]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .concat(['/usr/sbin', '/sbin'])
        .map((dir) => join(dir, program));
  return candidates.some((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = found('apt-get');
const missing = NEEDS.filter((need) => !found(need.program));
const quiet = process.argv.includes('--quiet');

if (missing.length > 0) {
  const packages = [...new Set(missing.map((m) => m.pkg))];
  const command = `apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  console.log(`Missing for the tests: ${missing.map((m) => m.what).join(', ')}.`);
  if (isRoot && hasApt) {
    console.log(`Installing: ${packages.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const run = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env }).status === 0;
    if (!run(['update', '-qq']) || !run(['install', '-y', '-qq', '--no-install-recommends', ...packages])) {
      console.error(`Installing failed. Run it by hand and try again:\n  ${command}`);
      process.exit(1);
    }
    const still = NEEDS.filter((need) => !found(need.program));
    if (still.length > 0) {
      console.error(`Still missing after installing: ${still.map((m) => m.what).join(', ')}.`);
      process.exit(1);
    }
  } else {
    console.error(`Install them first, then run the tests again:\n  sudo ${command}`);
    if (!hasApt) console.error('(not Debian: install the same programs with your system’s package manager)');
    process.exit(1);
  }
}

if (!isRoot) {
  console.error(
    'The tests need root: they make their own network namespaces and firewall rules, and mount a read-only folder.\n' +
      '  sudo npm test',
  );
  process.exit(1);
}
if (!quiet) console.log('Test prerequisites: all present.');
