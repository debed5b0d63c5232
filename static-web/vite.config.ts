/// <reference types="vitest/config" />
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { defineConfig, loadEnv, type Plugin } from "vite";
import react from "@vitejs/plugin-react";
import tailwindcss from "@tailwindcss/vite";
import { staticWebAppConfig } from "./build/staticWebAppConfig.ts";

// In development, /api is proxied to the local host (CloneAI.Local). Override with CLONEAI_API.
const apiTarget = process.env.CLONEAI_API ?? "http://127.0.0.1:7071";

/**
 * A build against an API on another origin (VITE_API_BASE_URL, from the environment or .env.production.local) writes
 * dist/staticwebapp.config.json with that origin, Blob Storage and Entra in the CSP's connect-src. Without it the copy of
 * public/staticwebapp.config.json is left as it is.
 */
function staticWebAppCsp(apiBaseUrl: string): Plugin {
  let outDir = "dist";
  let publicDir = "public";
  return {
    name: "cloneai-staticwebapp-csp",
    apply: "build",
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
      publicDir = config.publicDir;
    },
    async writeBundle() {
      if (!apiBaseUrl.trim() || !publicDir) return;
      const source = await readFile(resolve(publicDir, "staticwebapp.config.json"), "utf8");
      await writeFile(resolve(outDir, "staticwebapp.config.json"), staticWebAppConfig(source, apiBaseUrl));
    },
  };
}

export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), "VITE_");
  return {
    plugins: [react(), tailwindcss(), staticWebAppCsp(env.VITE_API_BASE_URL ?? "")],
    server: {
      proxy: { "/api": { target: apiTarget, changeOrigin: false } },
    },
    preview: {
      proxy: { "/api": { target: apiTarget, changeOrigin: false } },
    },
    build: {
      outDir: "dist",
      emptyOutDir: true,
      sourcemap: false,
    },
    test: {
      environment: "node",
      include: ["src/**/*.test.ts", "src/**/*.test.tsx", "build/**/*.test.ts"],
    },
  };
});
