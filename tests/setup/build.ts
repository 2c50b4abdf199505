import { execFileSync } from 'node:child_process';

/** Builds renderer and main bundles once per test run, exactly as `npm run build` does. */
export default function setup(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
}
