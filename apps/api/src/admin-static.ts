// Serves the built admin app (apps/admin/dist) under /admin from the API's own port, with a fallback to index.html so
// the app's client-side routes survive a reload. /graphql stays with Yoga.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "graphql-yoga";
import { staticFile } from "./static-files.ts";

export const defaultAdminDist = fileURLToPath(new URL("../../admin/dist/", import.meta.url));

export function useAdminApp(distDir: string = defaultAdminDist): Plugin {
  const root = path.resolve(distDir);
  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== "/admin" && !url.pathname.startsWith("/admin/")) return;
      if (request.method !== "GET" && request.method !== "HEAD") {
        endResponse(new fetchAPI.Response("method not allowed", { status: 405, headers: { allow: "GET, HEAD" } }));
        return;
      }
      if (url.pathname === "/admin") {
        endResponse(new fetchAPI.Response(null, { status: 308, headers: { location: "/admin/" } }));
        return;
      }
      const relative = decodeURIComponent(url.pathname.slice("/admin/".length));
      const asset = relative ? await staticFile(root, relative) : null;
      if (asset) {
        const immutable = relative.startsWith("assets/");
        endResponse(
          new fetchAPI.Response(asset.body, {
            headers: {
              "content-type": asset.contentType,
              // Vite fingerprints files under assets/, so they can be cached for good; everything else is revalidated.
              "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
            },
          }),
        );
        return;
      }
      // A missing file with an extension is a real 404; anything else is a client-side route of the app.
      if (path.extname(relative)) {
        endResponse(new fetchAPI.Response("not found", { status: 404 }));
        return;
      }
      const index = await staticFile(root, "index.html");
      endResponse(
        index
          ? new fetchAPI.Response(index.body, {
              headers: { "content-type": index.contentType, "cache-control": "no-cache" },
            })
          : new fetchAPI.Response("The admin app is not built yet: run `pnpm --filter @intrograph/admin build`.", {
              status: 503,
              headers: { "content-type": "text/plain; charset=utf-8" },
            }),
      );
    },
  };
}
