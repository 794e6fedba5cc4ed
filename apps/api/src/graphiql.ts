// GraphiQL served from the installed @graphql-yoga/render-graphiql package instead of public CDNs, so /graphql opens on
// a machine without internet. The page is small; the editor's script, styles, Monaco workers and favicon are served
// under /graphiql/<content hash>/ (cached for good, gzip when asked) and loaded once per browser.
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { GraphiQLOptions, Plugin } from "graphql-yoga";

const gzipAsync = promisify(gzip);

export const GRAPHIQL_ASSETS_PATH = "/graphiql/";

/** What GraphiQL's header editor opens with; the page sends no Authorization header while it is still a placeholder. */
export const GRAPHIQL_HEADERS_PLACEHOLDER = `{\n  "Authorization": "Bearer <API key>"\n}`;

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
  gzipped?: Promise<Uint8Array<ArrayBuffer>>;
}

interface GraphiQLAssets {
  /** `/graphiql/<hash>/`: a new package version gets new URLs, so browsers may cache these forever. */
  base: string;
  files: Map<string, Asset>;
}

let loaded: Promise<GraphiQLAssets> | undefined;

/** Loaded on the first GraphiQL request (≈9 MB of strings), not at start-up. */
function graphiqlAssets(): Promise<GraphiQLAssets> {
  loaded ??= import("@graphql-yoga/render-graphiql/graphiql").then((bundle) => {
    const utf8 = (text: string) => new TextEncoder().encode(text);
    const faviconBase64 = bundle.favicon.slice(bundle.favicon.indexOf(",") + 1);
    const script = "text/javascript; charset=utf-8";
    const files = new Map<string, Asset>([
      ["graphiql.js", { body: utf8(bundle.js), contentType: script }],
      ["graphiql.css", { body: utf8(bundle.css), contentType: "text/css; charset=utf-8" }],
      ["editor.worker.js", { body: utf8(bundle.editorWorkerService), contentType: script }],
      ["json.worker.js", { body: utf8(bundle.jsonWorker), contentType: script }],
      ["graphql.worker.js", { body: utf8(bundle.graphqlWorker), contentType: script }],
      ["favicon.ico", { body: new Uint8Array(Buffer.from(faviconBase64, "base64")), contentType: "image/x-icon" }],
    ]);
    const hash = createHash("sha256");
    for (const file of files.values()) hash.update(file.body);
    return { base: `${GRAPHIQL_ASSETS_PATH}${hash.digest("hex").slice(0, 16)}/`, files };
  });
  return loaded;
}

/** JSON that is safe inside a <script> element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);

/** Yoga's `renderGraphiQL`: the page, pointing at the assets this API serves. */
export async function renderGraphiQL(options: GraphiQLOptions): Promise<string> {
  const { base } = await graphiqlAssets();
  const title = options.title ?? "GraphiQL";
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(title)}</title>
    <link rel="icon" href="${base}favicon.ico" />
    <link rel="stylesheet" href="${base}graphiql.css" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript.</noscript>
    <div id="root">Loading ${escapeHtml(title)}…</div>
    <script>
      self.MonacoEnvironment = {
        globalAPI: false,
        getWorkerUrl: (_moduleId, label) =>
          ({ editorWorkerService: "${base}editor.worker.js", json: "${base}json.worker.js", graphql: "${base}graphql.worker.js" })[label],
      };
      // Until a real key replaces the placeholder, send no Authorization header: the schema (and so the docs explorer)
      // stays readable anonymously, and running a query answers UNAUTHENTICATED with what to send.
      const send = window.fetch.bind(window);
      window.fetch = (input, init) => {
        if (init && init.headers) {
          const headers = new Headers(init.headers);
          if (/<[^>]*>/.test(headers.get("authorization") || "")) {
            headers.delete("authorization");
            init = { ...init, headers };
          }
        }
        return send(input, init);
      };
    </script>
    <script src="${base}graphiql.js"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.getElementById("root"), ${scriptJson(options)});
    </script>
  </body>
</html>
`;
}

/** Serves GET/HEAD /graphiql/<hash>/<file>; an old hash (a page from before an upgrade) gets today's file. */
export function useGraphiQLAssets(): Plugin {
  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (!url.pathname.startsWith(GRAPHIQL_ASSETS_PATH)) return;
      const name = url.pathname.slice(url.pathname.lastIndexOf("/") + 1);
      const asset = (await graphiqlAssets()).files.get(name);
      if (!asset || (request.method !== "GET" && request.method !== "HEAD")) {
        endResponse(new fetchAPI.Response("not found", { status: 404 }));
        return;
      }
      const headers: Record<string, string> = {
        "content-type": asset.contentType,
        "cache-control": "public, max-age=31536000, immutable",
        vary: "accept-encoding",
      };
      let body = asset.body;
      if (/\bgzip\b/.test(request.headers.get("accept-encoding") ?? "")) {
        // Compressed once, off the event loop (zlib's thread pool), then kept.
        asset.gzipped ??= gzipAsync(asset.body).then((compressed) => new Uint8Array(compressed));
        body = await asset.gzipped;
        headers["content-encoding"] = "gzip";
      }
      headers["content-length"] = String(body.byteLength);
      endResponse(new fetchAPI.Response(request.method === "HEAD" ? null : body, { headers }));
    },
  };
}
