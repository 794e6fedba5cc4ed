// Serves the typed SDK as partners install it: /sdk/intrograph-sdk-<version>.tgz is the tarball `pnpm sdk:pack` built
// from packages/sdk at this API's version (so `npm install <that URL>` needs no registry), /sdk/README.md its guide,
// /sdk/reference/ its API reference (TypeDoc), and /sdk/ a page with the install line.
import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "graphql-yoga";
import { staticFile } from "./static-files.ts";

const sdkDir = fileURLToPath(new URL("../../../packages/sdk/", import.meta.url));

export interface SdkDownloadOptions {
  /** Where `pnpm sdk:pack` writes the tarball (packages/sdk/pack). */
  packDir?: string;
  /** Where it writes the TypeDoc reference (packages/sdk/reference). */
  referenceDir?: string;
  /** The SDK's version, from packages/sdk/package.json. */
  version?: string;
}

export function sdkVersion(): string {
  return (JSON.parse(readFileSync(path.join(sdkDir, "package.json"), "utf8")) as { version: string }).version;
}

export function sdkTarballName(version: string = sdkVersion()): string {
  return `intrograph-sdk-${version}.tgz`;
}

export function useSdkDownload({
  packDir = path.join(sdkDir, "pack"),
  referenceDir = path.join(sdkDir, "reference"),
  version = sdkVersion(),
}: SdkDownloadOptions = {}): Plugin {
  const tarball = sdkTarballName(version);
  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== "/sdk" && !url.pathname.startsWith("/sdk/")) return;
      const text = (body: string, status = 200, type = "text/plain; charset=utf-8") =>
        new fetchAPI.Response(body, { status, headers: { "content-type": type, "cache-control": "no-cache" } });
      if (request.method !== "GET" && request.method !== "HEAD") {
        endResponse(text("method not allowed", 405));
        return;
      }
      const file = url.pathname.replace(/^\/sdk\/?/, "");
      const tarballUrl = `${url.origin}/sdk/${tarball}`;
      if (file === "") {
        endResponse(
          text(
            [
              `@intrograph/sdk ${version}, the typed client for this API.`,
              "",
              `  npm install ${tarballUrl}`,
              "",
              `Guide and a first script: ${url.origin}/sdk/README.md`,
              `API reference: ${url.origin}/sdk/reference/`,
              "",
            ].join("\n"),
          ),
        );
        return;
      }
      if (file === "reference") {
        endResponse(new fetchAPI.Response(null, { status: 308, headers: { location: "/sdk/reference/" } }));
        return;
      }
      if (file.startsWith("reference/")) {
        const relative = decodeURIComponent(file.slice("reference/".length));
        const page = await staticFile(
          referenceDir,
          relative === "" || relative.endsWith("/") ? `${relative}index.html` : relative,
        );
        if (page)
          endResponse(
            new fetchAPI.Response(request.method === "HEAD" ? null : page.body, {
              headers: { "content-type": page.contentType, "cache-control": "no-cache" },
            }),
          );
        else if (await staticFile(referenceDir, "index.html"))
          endResponse(text(`not found in the SDK reference: ${url.pathname}\n`, 404));
        else endResponse(text("the SDK reference is not built yet: run `pnpm sdk:pack` (npm start does)\n", 503));
        return;
      }
      if (file === "README.md") {
        endResponse(text(await readFile(path.join(sdkDir, "README.md"), "utf8"), 200, "text/markdown; charset=utf-8"));
        return;
      }
      if (file !== tarball) {
        endResponse(text(`not found: this API serves the SDK at ${tarballUrl}\n`, 404));
        return;
      }
      const bytes = await readFile(path.join(packDir, tarball)).catch(() => null);
      if (!bytes) {
        endResponse(text(`the SDK is not packed yet: run \`pnpm sdk:pack\` (npm start does) and ask again\n`, 503));
        return;
      }
      endResponse(
        new fetchAPI.Response(request.method === "HEAD" ? null : new Uint8Array(bytes), {
          headers: {
            "content-type": "application/gzip",
            "content-length": String(bytes.byteLength),
            "content-disposition": `attachment; filename="${tarball}"`,
            "cache-control": "no-cache",
          },
        }),
      );
    },
  };
}
