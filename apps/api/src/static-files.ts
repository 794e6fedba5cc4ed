// Files of a built directory that the API serves (the admin app, the SDK's reference), never anything outside it.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".map": "application/json",
};

export interface StaticFile {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
}

/** The file at `relative` (URL-decoded) under `root`, or null when there is none or the path leaves `root`. */
export async function staticFile(root: string, relative: string): Promise<StaticFile | null> {
  const base = path.resolve(root);
  const requested = path.resolve(base, relative);
  if (requested !== base && !requested.startsWith(base + path.sep)) return null;
  const info = await stat(requested).catch(() => null);
  if (!info?.isFile()) return null;
  return {
    body: new Uint8Array(await readFile(requested)),
    contentType: CONTENT_TYPES[path.extname(requested)] ?? "application/octet-stream",
  };
}
