// Synthetic generic-format files for benchmarks and crash tests: people, relationships and intro chains written as
// streams, so a file of a million rows never sits in memory.
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import type { Writable } from "node:stream";

const KINDS = ["COLLEAGUE", "CLIENT", "ADVISOR", "INVESTOR", "FRIEND", "FAMILY", "COMMUNITY", "OTHER"];
const DAY_MS = 86_400_000;

async function writeLines(path: string, lines: Iterable<string>): Promise<number> {
  const out: Writable = createWriteStream(path);
  let count = 0;
  let chunk = "";
  for (const line of lines) {
    chunk += `${line}\n`;
    count += 1;
    if (chunk.length > 64 * 1024) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
  return count;
}

function* numbered(header: string, count: number, line: (i: number) => string): Iterable<string> {
  yield header;
  for (let i = 0; i < count; i++) yield line(i);
}

export async function writeSyntheticPeople(path: string, people: number): Promise<void> {
  await writeLines(
    path,
    numbered("id,displayName,email,headline", people, (i) => `p${i},Person ${i},p${i}@example.test,"Synthetic, #${i}"`),
  );
}

/**
 * `relationships` distinct pairs among `people` people: row k joins person k mod n with the person
 * (1 + ⌊k / n⌋) places further round the ring, so no pair repeats while ⌊k / n⌋ stays well below n / 2.
 */
export async function writeSyntheticRelationships(path: string, people: number, relationships: number): Promise<void> {
  if (relationships / people >= people / 2 - 1) throw new RangeError("too many relationships for so few people");
  const start = Date.UTC(2015, 0, 1);
  await writeLines(
    path,
    numbered("personA,personB,kind,since", relationships, (k) => {
      const a = k % people;
      const b = (a + 1 + Math.floor(k / people)) % people;
      const since = new Date(start + ((k * 7919) % 3650) * DAY_MS).toISOString().slice(0, 10);
      return `p${a},p${b},${KINDS[k % KINDS.length]},${since}`;
    }),
  );
}

/**
 * A mixed JSON-lines file of `people` people, then `chains` intro chains of one to three introductions, each followed
 * by the outcome it led to. Shaped to exercise what credit depends on across batches: connectors recur across chains,
 * every seventh introduction lacks consent, every fifth chain's first introduction also leads into the chain five
 * before it (an outcome written in an earlier batch gains a path), and every eleventh outcome also names the first
 * introduction of the chain three later (a forward link, made when the file is done unless both share a batch).
 * Returns the number of rows.
 */
export async function writeSyntheticChains(path: string, people: number, chains: number): Promise<number> {
  if (people < 3) throw new RangeError("a chain needs three different people per introduction");
  return writeLines(path, chainRows(people, chains));
}

function* chainRows(people: number, chains: number): Iterable<string> {
  for (let i = 0; i < people; i++) yield JSON.stringify({ type: "person", id: `p${i}`, displayName: `Person ${i}` });
  const day = (base: number, days: number) => new Date(base + days * DAY_MS).toISOString();
  const introductionsFrom = Date.UTC(2023, 0, 1);
  const outcomesFrom = Date.UTC(2025, 0, 1);
  for (let c = 0; c < chains; c++) {
    const length = 1 + (c % 3);
    for (let k = 0; k < length; k++) {
      const connector = (c * 7 + k * 13) % people;
      const at = day(introductionsFrom, c + k);
      yield JSON.stringify({
        type: "introduction",
        id: `n${c}-${k}`,
        connector: `p${connector}`,
        from: `p${(connector + 1) % people}`,
        to: `p${(connector + 2) % people}`,
        occurredAt: at,
        ...((c + k) % 7 !== 3 ? { fromConsentedAt: at, toConsentedAt: at } : {}),
        status: "MET",
        ...(k > 0 ? { ledFrom: [`n${c}-${k - 1}`] } : {}),
        ...(k === 0 && c % 5 === 4 && c >= 5 ? { ledTo: [`n${c - 5}-0`] } : {}),
      });
    }
    yield JSON.stringify({
      type: "outcome",
      id: `x${c}`,
      kind: "DEAL",
      title: `Deal ${c}`,
      value: `${1000 + ((c * 37) % 9000)}.${String(c % 100).padStart(2, "0")}`,
      currency: "USD",
      occurredAt: day(outcomesFrom, c),
      introductions: [`n${c}-${length - 1}`, ...(c % 11 === 10 && c + 3 < chains ? [`n${c + 3}-0`] : [])],
    });
  }
}
