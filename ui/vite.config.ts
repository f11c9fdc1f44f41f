// The gateway serves dist/ at /ui/ (PQ_UI_DIR): hashed assets under /ui/assets/ are
// cached for good, index.html never. No inline script or style, so the page runs under
// a Content-Security-Policy of 'self' only.
import { defineConfig } from "vitest/config";

export default defineConfig({
  base: "/ui/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: "es2022",
    reportCompressedSize: true,
  },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
