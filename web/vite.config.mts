// The web UI's build (npm run build:web): the sync health page (web/index.html, served at /) and the
// offline explorer (web/explorer/index.html, served at /explorer) in one Vite build into dist/web/,
// sharing chunks (React) and one assets folder. The server only reads the output
// (src/http/static.route.ts); Vite is never needed at run time, so `npm ci --omit=dev` after a build
// still serves both pages.
import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  // Relative asset URLs: the pages work at / and /explorer, and behind a proxy that mounts us under a prefix.
  base: './',
  // React's automatic JSX runtime; Vite's own transform (oxc) is enough for a production build, so no
  // React plugin is needed (it only adds Fast Refresh for a dev server, which we do not run).
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  // Nothing from the developer's environment leaks into the bundle.
  envPrefix: 'CODAT_WEB_PUBLIC_',
  logLevel: 'warn',
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    // Hashed names under assets/: the server serves them as immutable (src/http/static.route.ts).
    assetsDir: 'assets',
    // Inlined assets would become data: URLs, which the Content-Security-Policy does not allow.
    assetsInlineLimit: 0,
    // GraphiQL's editor (Monaco) is large; we serve it from our own origin, so the warning tells nothing.
    chunkSizeWarningLimit: 8_000,
    sourcemap: false,
    rollupOptions: {
      input: { page: here('index.html'), explorer: here('explorer/index.html') },
      // framer-motion (in GraphiQL) marks its modules "use client", which only means something to React
      // Server Components; bundled for the browser it is noise.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  worker: { format: 'es' },
});
