import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src-renderer',
  // Relative asset URLs so the same build loads from file:// in Electron and over HTTP headless.
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    // One bundle read from the local disk (Electron) or loopback (headless): its size costs
    // milliseconds, while splitting it would add requests the CSP and offline installs must allow.
    chunkSizeWarningLimit: 1500,
  },
});
