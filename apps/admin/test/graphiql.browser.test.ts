// GraphiQL as an integrator meets it, on a machine without internet: Chromium may reach 127.0.0.1 only. The page opens
// on the connector example with an Authorization placeholder, the docs explorer reads the schema anonymously, the
// example answers UNAUTHENTICATED until a key replaces the placeholder, and then reads the leaderboard.
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@intrograph/db/testing";
import { loadDemoData } from "@intrograph/db/seed";
import { issueApiKey } from "@intrograph/api/src/modules/access/api-keys.ts";
import { graphiqlExample } from "@intrograph/api/src/graphiql-example.ts";
import { rebuildCredit } from "@intrograph/ledger";
import { createApi } from "@intrograph/api/src/server.ts";
import { blockInternet, launchChromium } from "./chromium.ts";

const resultsDir = fileURLToPath(new URL("../test-results/", import.meta.url));
const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");

describe("GraphiQL in Chromium without internet", () => {
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;
  let partnerKey: string;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  /** Every request the page tried to send anywhere but the API. */
  let blocked: string[] = [];

  beforeAll(async () => {
    mkdirSync(resultsDir, { recursive: true });
    database = await createTestDatabase("pglite");
    await loadDemoData(database.prisma, { scale: 0.05 });
    await rebuildCredit(database.prisma);
    const partner = await database.prisma.partner.findFirstOrThrow({ orderBy: { slug: "asc" } });
    partnerKey = (
      await issueApiKey(database.prisma, { name: "graphiql test", scopes: ["partner"], partnerId: partner.id })
    ).key;
    const { yoga } = createApi({ database });
    server = createServer(yoga);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    ({ context, userDataDir } = await launchChromium("graphiql"));
    blocked = await blockInternet(context);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30_000);
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => server?.close(resolve));
    await database?.drop();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  /** The variables and headers editors share one panel; the one not shown is `.hidden`. */
  const headersEditor = ".graphiql-editor-tool .graphiql-editor:not(.hidden)";
  const editorText = (selector: string) => page.locator(`${selector} .view-lines`).first().innerText();
  /** Monaco renders non-breaking spaces; compare text with plain ones. */
  const plain = (text: string) => text.replace(/\u00a0/g, " ");

  it("the README shows the query GraphiQL opens with", () => {
    const topConnectors = graphiqlExample.slice(graphiqlExample.indexOf("query TopConnectors"));
    const firstQuery = topConnectors.slice(0, topConnectors.indexOf("\n}\n") + 2);
    expect(readme).toContain(firstQuery);
  });

  it("opens on the example, explores the schema, and runs the example with a key", async ({ onTestFailed }) => {
    onTestFailed(async () => {
      await page.screenshot({ path: path.join(resultsDir, "graphiql.png"), fullPage: true }).catch(() => undefined);
    });
    await page.goto(`${baseUrl}/graphql`);
    await expect
      .poll(async () => plain(await editorText(".graphiql-query-editor")), { timeout: 30_000 })
      .toContain("query TopConnectors {");
    expect(plain(await editorText(".graphiql-query-editor"))).toContain(
      'connectorLeaderboard(model: SHAPLEY, currency: "USD", first: 5) {',
    );

    // The docs explorer reads the schema without a key.
    await page.getByRole("button", { name: /documentation explorer/i }).click();
    const docs = page.locator(".graphiql-doc-explorer");
    await docs.getByText("Query", { exact: true }).first().click();
    await docs.getByText("connectorLeaderboard", { exact: true }).first().click();
    await docs.getByText("QueryConnectorLeaderboardConnection").first().waitFor();

    // The headers editor holds the placeholder; running the example without a key says what to send.
    await page.getByRole("button", { name: "Headers" }).click();
    await expect
      .poll(async () => plain(await editorText(headersEditor)), { timeout: 10_000 })
      .toContain("Bearer <API key>");
    const runTopConnectors = async () => {
      await page.locator(".graphiql-query-editor .view-line", { hasText: "query TopConnectors" }).click();
      await page.keyboard.press("Control+Enter");
    };
    await runTopConnectors();
    await expect
      .poll(async () => plain(await editorText(".graphiql-response")), { timeout: 30_000 })
      .toMatch(/UNAUTHENTICATED|Authorization: Bearer/);

    // A key pasted over the placeholder; the same query now reads the leaderboard.
    const headers = JSON.stringify({ Authorization: `Bearer ${partnerKey}` });
    await page.evaluate((text) => navigator.clipboard.writeText(text), headers);
    await page.locator(`${headersEditor} .view-lines`).first().click();
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Control+V");
    await expect.poll(async () => plain(await editorText(headersEditor)), { timeout: 10_000 }).toBe(headers);
    await runTopConnectors();
    // The first request for metrics waits for the graph snapshot to be built.
    await expect
      .poll(async () => plain(await editorText(".graphiql-response")), { timeout: 90_000 })
      .toContain('"rank": 1');
    const response = plain(await editorText(".graphiql-response"));
    expect(response).toContain('"connectorLeaderboard"');
    expect(response).not.toContain("UNAUTHENTICATED");

    expect(blocked).toEqual([]);
  });
});
