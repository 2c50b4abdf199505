import { startDesktop } from './app';

startDesktop().catch((error: unknown) => {
  console.error('[vigia] failed to start', error);
  process.exit(1);
});
