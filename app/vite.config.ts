import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/**
 * The H5 app (ADR 0014): static files for any static host. `base: './'` keeps every asset URL
 * relative, so the same build works at a bucket's root, under a CDN path or behind the local gateway;
 * pages are hash routes (#/membership), so no host needs rewrite rules.
 * VITE_API_BASE (default /api) is where the API is, e.g. https://api.example.com/api.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2020', reportCompressedSize: true },
  server: { port: 5173, proxy: { '/api': process.env.APP_DEV_API ?? 'http://127.0.0.1:3000' } },
});
