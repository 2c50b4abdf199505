import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src-main/core/agent/outbox/schema.ts',
  out: './resources/migrations/agent',
});
