// Bundles the main-process entries. Dependencies stay external (node_modules
// ships with the app), so native modules such as better-sqlite3 load as-is.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: ['src-main/headless/cli.ts'], outfile: 'dist/headless/cli.mjs', format: 'esm' }),
  // The BI export's worker thread, started by the headless runner and the desktop app alike.
  build({
    ...common,
    entryPoints: ['src-main/core/bi/export-worker.ts'],
    outfile: 'dist/workers/bi-export.mjs',
    format: 'esm',
  }),
  // Core's own process on the desktop (an Electron utilityProcess): the store, the monitor, the contract.
  build({
    ...common,
    entryPoints: ['src-main/core/host/entry.ts'],
    outfile: 'dist/core/host.mjs',
    format: 'esm',
  }),
  build({
    ...common,
    entryPoints: ['src-main/electron/main.ts'],
    outfile: 'dist/electron/main.mjs',
    format: 'esm',
    external: ['electron'],
  }),
  // A sandboxed preload cannot be an ES module.
  build({
    ...common,
    entryPoints: ['src-main/electron/preload.ts'],
    outfile: 'dist/electron/preload.cjs',
    format: 'cjs',
    external: ['electron'],
  }),
]);
