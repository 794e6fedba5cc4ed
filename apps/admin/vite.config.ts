// Builds the admin app for serving by the API under /admin/; in development, proxies /graphql to a running API.
import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig } from "vite";

export default defineConfig({
  base: "/admin/",
  plugins: [react()],
  // Workspace packages (the SDK) are bundled from their TypeScript sources: no separate build step needed first.
  resolve: { conditions: ["source", ...defaultClientConditions] },
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { "/graphql": process.env.INTROGRAPH_API_URL ?? "http://127.0.0.1:4000" } },
});
