// Integrity signals with answers known by construction: a ring, self-dealing, an introduction after its outcome, a
// reporter's burst. Flags land in a review queue, never change credit, and become a dispute in one step.
import { encodeGlobalID } from "@pothos/plugin-relay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./generated/gql.ts";
import { dataOf, nodesOf, ofType, startTestApi, type TestApi } from "./harness.ts";

const Scan = graphql(/* GraphQL */ `
  mutation IntegrityScan {
    scanIntegrity { found added kinds { kind found } }
  }
`);
const Flags = graphql(/* GraphQL */ `
  query IntegrityFlags($status: IntegrityFlagStatus) {
    integrityFlags(status: $status, first: 50) {
      totalCount
      edges { node { id version kind reason evidence outcome { id } person { id } introduction { id } dispute { id status } } }
    }
  }
`);
const Dispute = graphql(/* GraphQL */ `
  mutation IntegrityDispute($input: ResolveIntegrityFlagInput!) {
    disputeIntegrityFlag(input: $input) { __typename ... on Error { message } ... on DisputeIntegrityFlagSuccess { flag { status dispute { id status reason } } } }
  }
`);
const Dismiss = graphql(/* GraphQL */ `
  mutation IntegrityDismiss($input: ResolveIntegrityFlagInput!) {
    dismissIntegrityFlag(input: $input) { __typename ... on Error { message } }
  }
`);

describe("integrity flags", () => {
  let api: TestApi;
  let prisma: TestApi["database"]["prisma"];
  const id: Record<string, string> = {};
  const gid = (type: string, key: string) => encodeGlobalID(type, id[key]!);
  const at = (day: number) => new Date(Date.UTC(2026, 2, day));

  beforeAll(async () => {
    api = await startTestApi("pglite");
    prisma = api.database.prisma;
    for (const name of ["ana", "ben", "xavier", "yara", "cy", "pat", "quin", "dora", "eli", "fay"])
      id[name] = (await prisma.person.create({ data: { displayName: name } })).id;
    const consent = { fromConsentedAt: at(1), toConsentedAt: at(1) };
    const intro = async (key: string, connector: string, from: string, to: string, day: number) => {
      id[key] = (
        await prisma.introduction.create({
          data: { connectorId: id[connector]!, fromId: id[from]!, toId: id[to]!, occurredAt: at(day), ...consent },
        })
      ).id;
    };
    const outcome = async (key: string, intros: string[], extra: { organizationId?: string; day?: number } = {}) => {
      id[key] = (
        await prisma.outcome.create({
          data: {
            kind: "DEAL",
            title: key,
            value: "100.00",
            currency: "USD",
            occurredAt: at(extra.day ?? 20),
            organizationId: extra.organizationId ?? null,
            introductions: { create: intros.map((introductionId) => ({ introductionId: id[introductionId]! })) },
          },
        })
      ).id;
    };
    // A ring: Ana introduces Ben to Xavier, Ben introduces Ana to Yara, and Ben's introduction closes a deal.
    await intro("anaIntroducesBen", "ana", "ben", "xavier", 2);
    await intro("benIntroducesAna", "ben", "ana", "yara", 3);
    await outcome("ringDeal", ["benIntroducesAna"]);
    // Self-dealing: Cy works at the buyer and introduces Pat to Quin for its deal.
    const buyer = await prisma.organization.create({ data: { name: "Buyer" } });
    await prisma.membership.create({ data: { personId: id.cy!, organizationId: buyer.id, since: at(1) } });
    await intro("cyIntro", "cy", "pat", "quin", 4);
    await outcome("insideDeal", ["cyIntro"], { organizationId: buyer.id });
    // An introduction dated after the outcome it is linked to (loaded around the API's checks).
    await intro("late", "dora", "eli", "fay", 25);
    await outcome("earlyDeal", ["late"], { day: 21 });
    // A reporter's burst: a partner usually records one or two introductions an hour, then 60 at once.
    const partner = await prisma.partner.create({ data: { name: "Bursty", slug: "bursty" } });
    id.partner = partner.id;
    const rows = (count: number, createdAt: Date) =>
      Array.from({ length: count }, () => ({
        connectorId: id.xavier!,
        fromId: id.yara!,
        toId: id.quin!,
        occurredAt: at(5),
        reportedByPartnerId: partner.id,
        createdAt,
      }));
    for (const hour of [1, 2, 3, 4, 5])
      await prisma.introduction.createMany({ data: rows(hour % 2 ? 1 : 2, new Date(Date.UTC(2026, 2, 6, hour))) });
    await prisma.introduction.createMany({ data: rows(60, new Date(Date.UTC(2026, 2, 7, 9, 30))) });
    const { rebuildCredit } = await import("@intrograph/ledger");
    await rebuildCredit(prisma);
  });
  afterAll(() => api.close());

  async function open() {
    return nodesOf(dataOf(await api.executeOperation(Flags, { status: "OPEN" })).integrityFlags);
  }

  it("flags the connector whose only outcome came through a ring, self-dealing, a late introduction and a burst", async () => {
    const scan = dataOf(await api.executeOperation(Scan)).scanIntegrity;
    expect(scan?.added).toBe(scan?.found);
    const flags = await open();
    const ring = flags.filter((flag) => flag.kind === "RECIPROCAL_RING");
    expect(ring).toHaveLength(1);
    expect(ring[0]!.outcome?.id).toBe(gid("Outcome", "ringDeal"));
    expect((ring[0]!.evidence as { connectors: string[] }).connectors.sort()).toEqual(
      [gid("Person", "ana"), gid("Person", "ben")].sort(),
    );
    expect(
      flags.filter((flag) => flag.kind === "SELF_DEALING").map((flag) => [flag.outcome?.id, flag.person?.id]),
    ).toEqual([[gid("Outcome", "insideDeal"), gid("Person", "cy")]]);
    expect(
      flags.filter((flag) => flag.kind === "INTRODUCTION_AFTER_OUTCOME").map((flag) => flag.introduction?.id),
    ).toEqual([gid("Introduction", "late")]);
    expect(flags.filter((flag) => flag.kind === "REPORTER_BURST")).toHaveLength(1);
    expect(flags.filter((flag) => flag.kind === "REPORTER_BURST")[0]!.reason).toMatch(/60 introductions in one hour/);
    // A second scan finds the same and adds nothing.
    expect(dataOf(await api.executeOperation(Scan)).scanIntegrity?.added).toBe(0);
  });

  it("turns a flag into a dispute in one step without moving credit, and a dismissed flag stays dismissed", async () => {
    const flags = await open();
    const ring = flags.find((flag) => flag.kind === "RECIPROCAL_RING")!;
    const creditBefore = await prisma.credit.findMany({ orderBy: { id: "asc" } });
    const disputed = ofType(
      dataOf(
        await api.executeOperation(Dispute, {
          input: { id: ring.id, version: ring.version ?? 1, note: "looks arranged" },
        }),
      ).disputeIntegrityFlag,
      "DisputeIntegrityFlagSuccess",
    );
    expect(disputed.flag?.status).toBe("DISPUTED");
    expect(disputed.flag?.dispute).toMatchObject({ status: "OPEN", reason: expect.stringMatching(/RECIPROCAL_RING/) });
    expect((await prisma.credit.findMany({ orderBy: { id: "asc" } })).map((row) => row.amount.toFixed())).toEqual(
      creditBefore.map((row) => row.amount.toFixed()),
    );
    const burst = flags.find((flag) => flag.kind === "REPORTER_BURST")!;
    const refused = dataOf(
      await api.executeOperation(Dispute, { input: { id: burst.id, version: burst.version ?? 1 } }),
    ).disputeIntegrityFlag;
    expect(refused?.__typename).toBe("ValidationError");
    expect(
      dataOf(
        await api.executeOperation(Dismiss, {
          input: { id: burst.id, version: burst.version ?? 1, note: "an import" },
        }),
      ).dismissIntegrityFlag?.__typename,
    ).toBe("DismissIntegrityFlagSuccess");
    await api.executeOperation(Scan);
    const after = await open();
    expect(after.some((flag) => flag.kind === "REPORTER_BURST" || flag.kind === "RECIPROCAL_RING")).toBe(false);
  });
});
