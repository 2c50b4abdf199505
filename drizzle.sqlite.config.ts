import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src-main/core/store/sqlite/schema.ts',
  out: './resources/migrations/sqlite',
});
