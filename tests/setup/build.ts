import { execFileSync } from 'node:child_process';

/** Builds renderer and main bundles once per test run, exactly as `npm run build` does. */
export default function setup(): void {
  // npm is npm.cmd on Windows, which only a shell can start.
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
}
