// Launches Debian's Chromium through playwright-core with a fresh profile (Playwright's own browser downloads are
// unreachable from these machines); the caller removes the profile directory when done.
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { CHROMIUM } from "./global-setup.ts";

export interface LaunchedChromium {
  context: BrowserContext;
  userDataDir: string;
}

export async function launchChromium(name: string): Promise<LaunchedChromium> {
  const userDataDir = path.join(tmpdir(), `intrograph-chromium-${name}-${process.pid}-${Date.now()}`);
  // playwright passes the profile to Chromium as --user-data-dir.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    viewport: { width: 1366, height: 860 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return { context, userDataDir };
}

/**
 * Lets the browser reach 127.0.0.1 only, as on a machine without internet; answers the list of everything it tried to
 * load from anywhere else (empty when the pages are self-contained).
 */
export async function blockInternet(context: BrowserContext): Promise<string[]> {
  const blocked: string[] = [];
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === "blob:" || url.protocol === "data:" || url.hostname === "127.0.0.1") return route.continue();
    blocked.push(url.href);
    return route.abort("internetdisconnected");
  });
  return blocked;
}
