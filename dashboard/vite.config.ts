// Vite config for the dashboard. Build: `npx vite build --config dashboard/vite.config.ts`
// (writes dashboard/dist, which the API server serves at /). Dev: `npm run dev:dashboard`,
// which proxies the API to the server on API_PORT (default 4000).
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = `http://127.0.0.1:${process.env.API_PORT ?? 4000}`;

export default defineConfig({
  root,
  // No public/ folder: every asset is imported from src/ and fingerprinted.
  publicDir: false,
  plugins: [svelte({ configFile: false })],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The ECharts chunk (core, canvas renderer, bar and line charts, grid, legend,
    // tooltip) is ~530 kB minified, ~180 kB gzipped, and loads only after sign-in. The
    // limit sits just above it so that any other growth still warns.
    chunkSizeWarningLimit: 560,
    rolldownOptions: {
      output: {
        // ECharts is most of the bundle and changes only on upgrades: its own chunk caches well.
        codeSplitting: {
          groups: [{ name: 'echarts', test: /[\\/]node_modules[\\/](echarts|zrender|tslib)[\\/]/ }],
        },
      },
    },
  },
  server: {
    proxy: {
      '/cubejs-api': { target: apiTarget, changeOrigin: false },
      '/api': { target: apiTarget, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/cubejs-api': { target: apiTarget },
      '/api': { target: apiTarget },
    },
  },
});
