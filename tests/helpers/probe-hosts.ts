/**
 * Run inside a test's network namespace (`ip netns exec … tsx probe-hosts.ts`):
 * probes the hosts given on stdin (one per line) with the named prober, all
 * at once as a sweep does (aborted after an optional delay), and prints one JSON line: each host's result, the
 * prober's problem if it could not run, the wall time and the CPU this
 * process and its children used.
 */
import { readFileSync } from 'node:fs';
import { createProberRegistry } from '../../src-main/core/monitor/probers';
import { mapWithConcurrency } from '../../src-main/core/monitor/pool';

const [proberName = 'auto', timeout = '1000', abortAfter] = process.argv.slice(2);
const hosts = readFileSync(0, 'utf8').split('\n').filter(Boolean);
const prober = createProberRegistry().get(proberName);
if (!prober) throw new Error(`no prober ${proberName}`);

function cpuMs(): number {
  const own = process.cpuUsage();
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (own.user + own.system) / 1000 + (Number(fields[13]) + Number(fields[14])) * 10;
}

const problem = await prober.check();
// An aborted sweep (the program stopping): probes still waiting give up, answered ones stand.
const abort = new AbortController();
if (abortAfter) setTimeout(() => abort.abort(new Error('sweep aborted')), Number(abortAfter));
const startedAt = Date.now();
const cpuBefore = cpuMs();
const results = problem
  ? []
  : await mapWithConcurrency(hosts, prober.capacity(50), async (host) => {
      try {
        return { host, ...(await prober.probe(host, Number(timeout), abort.signal)) };
      } catch (error) {
        return { host, error: error instanceof Error ? error.message : String(error) };
      }
    });
const wallMs = Date.now() - startedAt;
const cpu = Math.round(cpuMs() - cpuBefore);
prober.close?.();
process.stdout.write(`${JSON.stringify({ prober: prober.name, problem, results, wallMs, cpuMs: cpu })}\n`);
