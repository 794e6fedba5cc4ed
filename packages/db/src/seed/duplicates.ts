// Likely duplicates planted in the demo network (the same person imported twice, in three typical ways), and the
// duplicate suggestions that point at them.
import { type Cast, date, type DemoNetwork, type PersonInfo } from "./network.ts";
import type { DuplicateSuggestionRow, PersonRow } from "./rows.ts";
import { slug, stripAccents } from "./text.ts";

export interface DuplicatePair {
  original: number;
  duplicate: number;
  reason: string;
  score: number;
}

/** Plants a same-email, a near-identical-name and a same-organization duplicate, each with a few ties of its own. */
export function plantDuplicates(network: DemoNetwork, { regulars }: Cast): DuplicatePair[] {
  const { random, people } = network;
  const duplicatePairs: DuplicatePair[] = [];
  const addDuplicate = (
    original: PersonInfo,
    row: Omit<PersonRow, "id">,
    reason: string,
    score: number,
    sameOrg: boolean,
  ) => {
    const duplicate = network.addPerson({ ...original, row: { ...row, id: network.newId() }, role: "duplicate" });
    if (sameOrg && original.primaryOrg !== null) {
      network.addMembership(
        duplicate,
        network.organizations[original.primaryOrg]!,
        random.dateBetween(date("2020-01-01"), date("2026-01-01")),
        null,
        false,
      );
    }
    for (const other of random.sample(network.neighborsOf(original.index), random.between(1, 3)))
      network.addEdge(duplicate.index, other, "OTHER", { profile: "light" });
    duplicatePairs.push({ original: original.index, duplicate: duplicate.index, reason, score });
  };
  const withEmail = regulars
    .map((i) => people[i]!)
    .filter((person) => person.role === "regular" && person.row.email !== null);
  const sameEmailOriginal = random.pick(withEmail);
  addDuplicate(
    sameEmailOriginal,
    {
      ...sameEmailOriginal.row,
      displayName: `${sameEmailOriginal.firstName[0]}. ${sameEmailOriginal.lastName}`,
      profileUrl: null,
      headline: null,
    },
    "Same email address; the name matches by initial",
    0.97,
    false,
  );
  const accented = regulars
    .map((i) => people[i]!)
    .find((person) => person.role === "regular" && stripAccents(person.row.displayName) !== person.row.displayName);
  const accentOriginal = accented ?? random.pick(withEmail);
  addDuplicate(
    accentOriginal,
    {
      ...accentOriginal.row,
      displayName: accented
        ? stripAccents(accented.row.displayName)
        : `${accentOriginal.firstName}  ${accentOriginal.lastName}`.toLowerCase(),
      email: `${slug(accentOriginal.firstName, "")}${slug(accentOriginal.lastName, "")}@gmail.com`,
      profileUrl: null,
    },
    "Near-identical names at the same location",
    0.86,
    false,
  );
  const sameOrgOriginal = random.pick(
    regulars
      .map((i) => people[i]!)
      .filter(
        (person) =>
          person.role === "regular" && person.row.email !== sameEmailOriginal.row.email && person !== accentOriginal,
      ),
  );
  addDuplicate(
    sameOrgOriginal,
    {
      ...sameOrgOriginal.row,
      email: null,
      profileUrl: network.profileUrlFor(sameOrgOriginal.firstName, sameOrgOriginal.lastName),
    },
    "Same name and organization, imported twice",
    0.91,
    true,
  );
  return duplicatePairs;
}

export function duplicateSuggestionRows(
  network: DemoNetwork,
  duplicatePairs: DuplicatePair[],
): DuplicateSuggestionRow[] {
  const { people } = network;
  return duplicatePairs.map(({ original, duplicate, reason, score }) => {
    const x = people[original]!.row.id;
    const y = people[duplicate]!.row.id;
    // biome-ignore lint/complexity/useMathMinMax: ids are strings, ordered as PostgreSQL orders them
    return { id: network.newId(), personAId: x < y ? x : y, personBId: x < y ? y : x, reason, score };
  });
}
