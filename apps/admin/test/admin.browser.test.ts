// The admin app end to end: the real API on a fresh PGlite database with the demo network, the built app served by it
// at /admin, and Chromium clicking through sign-in, curation, a merge, an intro chain and API keys.
import { mkdirSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@intrograph/db/testing";
import { loadDemoData } from "@intrograph/db/seed";
import { issueApiKey } from "@intrograph/api/src/modules/access/api-keys.ts";
import { rebuildCredit } from "@intrograph/ledger";
import { createApi } from "@intrograph/api/src/server.ts";
import { blockInternet, launchChromium } from "./chromium.ts";

const resultsDir = fileURLToPath(new URL("../test-results/", import.meta.url));
const pagesDir = path.join(resultsDir, "pages");

/** Relay global ids, as the API encodes them. */
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");

describe("admin app in Chromium", () => {
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;
  let adminKey: string;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  /** What the app tried to load from anywhere but the API: nothing, so it works without internet. */
  let blocked: string[] = [];
  /** The confirmations the app asked for (all accepted). */
  const dialogs: string[] = [];

  beforeAll(async () => {
    mkdirSync(pagesDir, { recursive: true });
    database = await createTestDatabase("pglite");
    await loadDemoData(database.prisma, { scale: 0.05 });
    await rebuildCredit(database.prisma);
    adminKey = (await issueApiKey(database.prisma, { name: "browser test admin", scopes: ["admin"] })).key;
    const { yoga } = createApi({ database });
    server = createServer(yoga);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    ({ context, userDataDir } = await launchChromium("admin"));
    blocked = await blockInternet(context);
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(20_000);
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => server?.close(resolve));
    await database?.drop();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  /** Saves a screenshot when the test fails, named after the test. */
  function screenshotOnFailure(onTestFailed: (handler: () => Promise<void>) => void, name: string) {
    onTestFailed(async () => {
      await page.screenshot({ path: path.join(resultsDir, `${name}.png`), fullPage: true }).catch(() => undefined);
    });
  }

  async function snapshot(name: string) {
    await page.screenshot({ path: path.join(pagesDir, `${name}.png`), fullPage: true });
  }

  it("signs in with an admin key, rejects a wrong one, and signs out", async ({ onTestFailed }) => {
    screenshotOnFailure(onTestFailed, "sign-in");
    await page.goto(`${baseUrl}/admin/`);
    await page.getByLabel("Admin API key").fill("ig_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/unknown API key/i);
    await snapshot("sign-in");

    await page.getByLabel("Admin API key").fill(adminKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "People" }).waitFor();
    await page.locator("table tbody tr").first().waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("intrograph.adminKey"))).toBe(adminKey);
    await snapshot("people");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Admin API key").waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("intrograph.adminKey"))).toBeNull();

    await page.getByLabel("Admin API key").fill(adminKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "People" }).waitFor();
  });

  it("verifies a relationship from the curation queue, and shows a conflict instead of overwriting", async ({
    onTestFailed,
  }) => {
    screenshotOnFailure(onTestFailed, "curation");
    await page.goto(`${baseUrl}/admin/curation`);
    const cards = page.getByTestId("relationship-card");
    await cards.first().waitFor();
    await snapshot("curation");

    const first = cards.nth(0);
    const firstId = Buffer.from((await first.getAttribute("data-relationship-id"))!, "base64")
      .toString()
      .split(":")[1]!;
    await first.getByRole("button", { name: "Verify" }).click();
    await first.getByText("Verified.").waitFor();
    expect((await database.prisma.relationship.findUniqueOrThrow({ where: { id: firstId } })).status).toBe("VERIFIED");

    // Another admin changes the second relationship meanwhile: this page's version is now stale.
    const second = cards.nth(1);
    const secondId = Buffer.from((await second.getAttribute("data-relationship-id"))!, "base64")
      .toString()
      .split(":")[1]!;
    await database.prisma.relationship.update({
      where: { id: secondId },
      data: { kind: "ADVISOR", version: { increment: 1 } },
    });
    await second.getByRole("button", { name: "Verify" }).click();
    await second.getByText("Someone else changed this meanwhile").waitFor();
    const untouched = await database.prisma.relationship.findUniqueOrThrow({ where: { id: secondId } });
    expect([untouched.status, untouched.kind]).toEqual(["UNVERIFIED", "ADVISOR"]);
    await snapshot("curation-conflict");
    await second.getByRole("button", { name: "Load the current version" }).click();
    await expect.poll(() => second.getByLabel("Kind").inputValue()).toBe("ADVISOR");
    await second.getByRole("button", { name: "Verify" }).click();
    await second.getByText("Verified.").waitFor();
    expect((await database.prisma.relationship.findUniqueOrThrow({ where: { id: secondId } })).status).toBe("VERIFIED");
  });

  it("merges two duplicate people; the survivor holds both records' relationships", async ({ onTestFailed }) => {
    screenshotOnFailure(onTestFailed, "merge");
    const suggestion = await database.prisma.duplicateSuggestion.findFirstOrThrow({
      where: { status: "OPEN" },
      orderBy: [{ score: "desc" }, { id: "asc" }],
    });
    const othersOf = async (personId: string) =>
      new Set(
        (await database.prisma.relationshipSide.findMany({ where: { personId }, select: { otherPersonId: true } })).map(
          (side) => side.otherPersonId,
        ),
      );
    const [othersA, othersB] = await Promise.all([othersOf(suggestion.personAId), othersOf(suggestion.personBId)]);
    const expected = new Set([...othersA, ...othersB]);
    expected.delete(suggestion.personAId);
    expected.delete(suggestion.personBId);
    // Ties combine within their scope only (the public one, or one partner's report): the survivor keeps one per
    // other person and scope.
    const tiesOf = async (personId: string) =>
      (
        await database.prisma.relationshipSide.findMany({
          where: { personId },
          select: { otherPersonId: true, relationship: { select: { reportedByPartnerId: true } } },
        })
      ).map((side) => `${side.otherPersonId}|${side.relationship.reportedByPartnerId}`);
    const expectedTies = new Set([...(await tiesOf(suggestion.personAId)), ...(await tiesOf(suggestion.personBId))]);
    for (const key of expectedTies)
      if (key.startsWith(`${suggestion.personAId}|`) || key.startsWith(`${suggestion.personBId}|`))
        expectedTies.delete(key);

    await page.goto(`${baseUrl}/admin/duplicates`);
    await page.getByTestId("duplicate-row").first().waitFor();
    await snapshot("duplicates");
    await page.getByTestId("duplicate-row").first().getByRole("link", { name: "Compare" }).click();
    await page.getByRole("heading", { name: "Compare and merge" }).waitFor();
    await snapshot("merge-compare");
    await page.getByRole("button", { name: /^Merge / }).click();
    // Asked first: a merge moves everything of one record to the other.
    await expect.poll(() => dialogs.at(-1)).toMatch(/^Merge “.+” into “.+”\?/);

    // Lands on the survivor (person A by default), whose relationships are now both records'.
    await page.waitForURL(/\/admin\/people\/.+merged=1/);
    await page.getByRole("heading", { name: /Relationships/ }).waitFor();
    await expect
      .poll(() => page.getByRole("heading", { name: /Relationships/ }).textContent())
      .toContain(`(${expectedTies.size})`);
    await snapshot("merge-survivor");
    expect(await othersOf(suggestion.personAId)).toEqual(expected);
    expect(await othersOf(suggestion.personBId)).toEqual(new Set());
    const merged = await database.prisma.person.findUniqueOrThrow({ where: { id: suggestion.personBId } });
    expect(merged.mergedIntoId).toBe(suggestion.personAId);
    // Every relationship of the merged record is reachable from the survivor's page (paging through if needed).
    const names = await database.prisma.person.findMany({
      where: { id: { in: [...expected] } },
      select: { displayName: true },
    });
    const shown = new Set<string>();
    for (;;) {
      for (const text of await page.locator("table tbody tr td:first-child a").allTextContents()) shown.add(text);
      const next = page.getByRole("button", { name: "Next →" });
      if (await next.isDisabled()) break;
      await next.click();
      await page.waitForTimeout(300);
      await page
        .locator("section.stale")
        .waitFor({ state: "detached" })
        .catch(() => undefined);
    }
    for (const { displayName } of names) expect(shown).toContain(displayName);
  });

  it("draws an intro chain and shows credit change when the model changes", async ({ onTestFailed }) => {
    screenshotOnFailure(onTestFailed, "chains");
    // An outcome whose first and last touch credit different connectors, so the switch must change the numbers.
    const credits = await database.prisma.credit.findMany({
      where: { model: { in: ["FIRST_TOUCH", "LAST_TOUCH"] }, share: { gt: 0 } },
    });
    const byOutcome = new Map<string, { first?: string; last?: string }>();
    for (const credit of credits) {
      const entry = byOutcome.get(credit.outcomeId) ?? {};
      if (credit.model === "FIRST_TOUCH") entry.first = credit.personId;
      else entry.last = credit.personId;
      byOutcome.set(credit.outcomeId, entry);
    }
    const outcomeId = [...byOutcome.entries()].find(
      ([, entry]) => entry.first && entry.last && entry.first !== entry.last,
    )?.[0];
    expect(outcomeId, "the demo data has an outcome with a multi-connector chain").toBeTruthy();

    await page.goto(`${baseUrl}/admin/chains`);
    await page.locator("table tbody tr").first().waitFor();
    await snapshot("chains-list");
    // Newest first.
    const listed = (await page.locator("table tbody tr td:last-child").allInnerTexts()).map((text) => Date.parse(text));
    expect(listed.every((time) => !Number.isNaN(time))).toBe(true);
    expect(listed).toEqual([...listed].sort((a, b) => b - a));
    await page.goto(`${baseUrl}/admin/chains?outcome=${encodeURIComponent(globalId("Outcome", outcomeId!))}`);
    await page.getByTestId("chain-graph").waitFor();
    await page.locator(".react-flow__node").nth(1).waitFor();
    expect(await page.getByTestId("chain-intro").count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId("chain-outcome").count()).toBe(1);
    expect(await page.locator(".react-flow__edge").count()).toBeGreaterThanOrEqual(2);

    const creditText = async (model: string) => {
      await page.locator(`[data-testid="credit-table"][data-model="${model}"]:not(.stale)`).waitFor();
      return page.getByTestId("credit-table").innerText();
    };
    await page.getByLabel("Credit model").selectOption("FIRST_TOUCH");
    const firstTouch = await creditText("FIRST_TOUCH");
    const firstNodes = await page.getByTestId("chain-credit").allInnerTexts();
    await snapshot("chain-first-touch");
    await page.getByLabel("Credit model").selectOption("LAST_TOUCH");
    const lastTouch = await creditText("LAST_TOUCH");
    await expect.poll(() => page.getByTestId("chain-credit").allInnerTexts()).not.toEqual(firstNodes);
    expect(lastTouch).not.toEqual(firstTouch);
    await page.getByLabel("Credit model").selectOption("SHAPLEY");
    await creditText("SHAPLEY");
    await snapshot("chain-shapley");
    expect(new URL(page.url()).searchParams.get("model")).toBe("SHAPLEY");
  });

  it("shows, on a person's chain view, each introduction's credit for the outcome it led to", async ({
    onTestFailed,
  }) => {
    screenshotOnFailure(onTestFailed, "person-chains");
    // A connector whose two introductions each led to an outcome of its own, worth different amounts: each node must
    // show its own outcome's credit, neither the connector's total.
    const [connector, ...others] = await database.prisma.person.createManyAndReturn({
      data: ["Nia Connector", "Ola", "Pim", "Quy", "Ray"].map((displayName) => ({ displayName })),
    });
    const graphqlAsAdmin = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(`${baseUrl}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${adminKey}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: Record<string, { __typename: string; [key: string]: unknown }> };
      return body.data ?? {};
    };
    const at = "2025-04-01T00:00:00Z";
    for (const [index, value] of ["1000.00", "3000.00"].entries()) {
      const created = await graphqlAsAdmin(
        `mutation ($input: CreateIntroductionInput!) { createIntroduction(input: $input) {
          __typename ... on CreateIntroductionSuccess { introduction { id } } } }`,
        {
          input: {
            connectorId: globalId("Person", connector!.id),
            fromId: globalId("Person", others[index * 2]!.id),
            toId: globalId("Person", others[index * 2 + 1]!.id),
            occurredAt: at,
            fromConsentedAt: at,
            toConsentedAt: at,
          },
        },
      );
      const introduction = created.createIntroduction as { introduction?: { id: string } };
      const recorded = await graphqlAsAdmin(
        `mutation ($input: RecordOutcomeInput!) { recordOutcome(input: $input) { __typename } }`,
        {
          input: {
            kind: "DEAL",
            title: `Deal ${index + 1} of Nia`,
            value,
            currency: "USD",
            occurredAt: "2025-05-01T00:00:00Z",
            introductionIds: [introduction.introduction?.id],
          },
        },
      );
      expect(recorded.recordOutcome?.__typename).toBe("RecordOutcomeSuccess");
    }

    await page.goto(
      `${baseUrl}/admin/chains?person=${encodeURIComponent(globalId("Person", connector!.id))}&model=SHAPLEY`,
    );
    await page.getByTestId("chain-graph").waitFor();
    await page.locator('[data-testid="credit-table"][data-model="SHAPLEY"]:not(.stale)').waitFor();
    const shown = (await page.locator(".chain-node.intro.highlighted [data-testid=chain-credit]").allInnerTexts()).map(
      (text) => text.split(" · ")[0],
    );
    await snapshot("person-chains");
    expect(shown.sort()).toEqual(["$1,000", "$3,000"]);
  });

  it("creates an API key, shows it once, and revokes it", async ({ onTestFailed }) => {
    screenshotOnFailure(onTestFailed, "api-keys");
    const asPartner = (key: string) =>
      fetch(`${baseUrl}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: "{ people(first: 1) { edges { node { id } } } }" }),
      });

    await page.goto(`${baseUrl}/admin/keys`);
    await page.getByTestId("api-key-row").first().waitFor();
    await page.locator("input[name=keyName]").fill("Browser test partner key");
    await page.locator("select[name=scope]").selectOption("PARTNER");
    await page.locator("select[name=partner]").selectOption({ index: 1 });
    await page.getByRole("button", { name: "Create key" }).click();
    const issued = page.getByTestId("issued-key");
    await issued.waitFor();
    const key = (await issued.locator("code").innerText()).trim();
    expect(key).toMatch(/^ig_[a-z0-9]{12}_/);
    await snapshot("api-keys-issued");
    expect((await asPartner(key)).status).toBe(200);

    const prefix = key.split("_")[1]!;
    const row = page.locator(`[data-testid="api-key-row"][data-prefix="${prefix}"]`);
    await row.waitFor();
    await row.getByRole("button", { name: "Revoke" }).click();
    await row.getByText("revoked").waitFor();
    expect((await database.prisma.apiKey.findUniqueOrThrow({ where: { prefix } })).revokedAt).toBeInstanceOf(Date);
    expect((await asPartner(key)).status).toBe(401);
    await snapshot("api-keys-revoked");
  });

  it("registers a webhook endpoint, shows its secret once, refuses a bad URL, and disables it with a reason", async ({
    onTestFailed,
  }) => {
    screenshotOnFailure(onTestFailed, "webhooks");
    await page.goto(`${baseUrl}/admin/webhooks`);
    await page.getByText("No webhook endpoints.").waitFor();
    await page.locator("input[name=webhookUrl]").fill("http://example.com/hooks");
    await page.getByRole("button", { name: "Register" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/https/);
    expect(await database.prisma.webhookEndpoint.count()).toBe(0);

    // The API itself answers connections: a reachable local endpoint.
    await page.locator("input[name=webhookUrl]").fill(`${baseUrl}/hooks`);
    await page.getByRole("button", { name: "Register" }).click();
    const secret = page.getByTestId("webhook-secret");
    await secret.waitFor();
    expect((await secret.locator("code").innerText()).trim()).toMatch(/^whsec_/);
    const endpoint = page.getByTestId("webhook-endpoint");
    await endpoint.waitFor();
    await snapshot("webhooks-registered");
    await endpoint.getByRole("button", { name: "Disable" }).click();
    await page.getByTestId("disabled-reason").waitFor();
    expect(await page.getByTestId("disabled-reason").textContent()).toMatch(/disabled by key:/);
    await page.getByRole("button", { name: "Deliveries" }).click();
    await page.getByText("No deliveries yet.").waitFor();
  });

  it("renders the person page, disputes and the audit log", async ({ onTestFailed }) => {
    screenshotOnFailure(onTestFailed, "other-pages");
    const influencer = await database.prisma.person.findFirstOrThrow({
      where: { socialAccounts: { some: { followers: { gt: 100_000 } } }, mergedIntoId: null },
      orderBy: { id: "asc" },
    });
    await page.goto(`${baseUrl}/admin/people/${encodeURIComponent(globalId("Person", influencer.id))}`);
    await page.getByTestId("reach-influence").getByText("real audience").waitFor();
    await page
      .getByTestId("reach-influence")
      .getByText(/credit/i)
      .first()
      .waitFor();
    await snapshot("person-influencer");

    await page.goto(`${baseUrl}/admin/disputes`);
    await page.getByRole("heading", { name: "Credit disputes" }).waitFor();
    await page.locator(".state.empty, [data-testid=dispute-card]").first().waitFor();
    await snapshot("disputes");

    await page.goto(`${baseUrl}/admin/audit?action=person.merge`);
    await page.locator("table tbody tr").first().waitFor();
    expect(await page.locator("table tbody tr").count()).toBe(1);
    await snapshot("audit");
  });

  it("prints a connector's statement whose SHAPLEY total is their credit", async ({ onTestFailed }) => {
    screenshotOnFailure(onTestFailed, "statement");
    const [top] = await database.prisma.credit.groupBy({
      by: ["personId"],
      where: { model: "SHAPLEY", amount: { gt: 0 }, currency: "USD" },
      _sum: { amount: true },
      orderBy: { _sum: { amount: "desc" } },
      take: 1,
    });
    await page.goto(`${baseUrl}/admin/people/${encodeURIComponent(globalId("Person", top!.personId))}`);
    await page.getByRole("link", { name: "Statement" }).click();
    await page.getByRole("heading", { name: /^Statement: / }).waitFor();
    await page.getByTestId("statement-line").first().waitFor();
    const shapley = page.getByRole("table", { name: "Totals" }).getByRole("row").filter({ hasText: "Shapley" });
    const total = Number(
      (await shapley.filter({ hasText: "USD" }).locator("td.num").first().textContent())!.replace(/[^0-9.]/g, ""),
    );
    expect(total).toBeCloseTo(Number(top!._sum.amount), 2);
    await snapshot("statement");
  });

  it("discovers connectors for a topic, explains each score and builds a shortlist", async ({ onTestFailed }) => {
    screenshotOnFailure(onTestFailed, "discover");
    const [topic] = await database.prisma.$queryRaw<{ topic: string }[]>`
      SELECT t AS topic FROM "Person", unnest(topics) t GROUP BY t ORDER BY count(*) DESC, t LIMIT 1`;
    await page.goto(`${baseUrl}/admin/discover`);
    await page.getByLabel("Topics").fill(` ${topic!.topic.toUpperCase()} `);
    await page.getByRole("button", { name: "Search" }).click();
    const rows = page.getByTestId("discovery-row");
    await rows.first().waitFor();
    expect(await rows.first().textContent()).toMatch(/Topic credit|Community brokerage|Decision maker reach/);
    await rows.nth(0).getByRole("checkbox").check();
    await rows.nth(1).getByRole("checkbox").check();
    expect(await page.getByTestId("shortlist").locator("li").count()).toBe(2);
    await snapshot("discover");
  });

  it("scans for integrity flags and turns one into a credit dispute in one step", async ({ onTestFailed }) => {
    screenshotOnFailure(onTestFailed, "integrity");
    await page.goto(`${baseUrl}/admin/integrity`);
    await page.getByRole("button", { name: "Scan the ledger" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /^Found \d+; \d+ new\.$/ })
      .waitFor();
    const flags = page.getByTestId("integrity-flag");
    await flags.first().waitFor();
    const before = await database.prisma.creditDispute.count();
    const withOutcome = flags.filter({ has: page.getByRole("button", { name: "Open a dispute", disabled: false }) });
    await withOutcome.first().getByLabel("Note").fill("checked by the browser test");
    await withOutcome.first().getByRole("button", { name: "Open a dispute" }).click();
    await expect.poll(() => database.prisma.creditDispute.count()).toBe(before + 1);
    await expect.poll(() => database.prisma.integrityFlag.count({ where: { status: "DISPUTED" } })).toBe(1);
    await snapshot("integrity");
  });

  it("erases a person only after their name is typed, and shows the placeholder", async ({ onTestFailed }) => {
    screenshotOnFailure(onTestFailed, "erasure");
    const person = await database.prisma.person.findFirstOrThrow({
      where: { mergedIntoId: null, deletedAt: null, email: { not: null } },
      orderBy: { id: "desc" },
    });
    await page.goto(`${baseUrl}/admin/people/${encodeURIComponent(globalId("Person", person.id))}`);
    await page.getByRole("heading", { name: "Privacy" }).waitFor();
    await page.getByRole("button", { name: "Erase this person…" }).click();
    const erase = page.getByRole("button", { name: "Erase permanently" });
    expect(await erase.isDisabled()).toBe(true);
    await page.getByLabel("Name to confirm").fill(person.displayName);
    await snapshot("erasure-confirm");
    await erase.click();
    await page.getByText(/This person was erased on/).waitFor();
    const erased = await database.prisma.person.findUniqueOrThrow({ where: { id: person.id } });
    expect(erased).toMatchObject({ email: null, erasedAt: expect.any(Date) });
    expect(erased.displayName).toMatch(/^Erased person /);
  });

  it("loaded nothing from outside 127.0.0.1", () => {
    expect(blocked).toEqual([]);
  });
});
