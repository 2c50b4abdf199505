import { defineConfig } from 'vitest/config';

/** The real Electron app (tests/electron), for a machine that has Electron's binary and a display. */
export default defineConfig({
  test: {
    include: ['tests/electron/**/*.electron.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
