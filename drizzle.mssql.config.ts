import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'mssql',
  schema: './src-main/core/store/mssql/schema.ts',
  out: './resources/migrations/mssql',
});
