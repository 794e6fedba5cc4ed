// Synthetic generic-format files for benchmarks and crash tests: people and relationships written as streams, so a
// file of a million rows never sits in memory.
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import type { Writable } from "node:stream";

const KINDS = ["COLLEAGUE", "CLIENT", "ADVISOR", "INVESTOR", "FRIEND", "FAMILY", "COMMUNITY", "OTHER"];
const DAY_MS = 86_400_000;

async function writeLines(path: string, header: string, count: number, line: (i: number) => string): Promise<void> {
  const out: Writable = createWriteStream(path);
  out.write(`${header}\n`);
  let chunk = "";
  for (let i = 0; i < count; i++) {
    chunk += `${line(i)}\n`;
    if (chunk.length > 64 * 1024) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
}

export async function writeSyntheticPeople(path: string, people: number): Promise<void> {
  await writeLines(
    path,
    "id,displayName,email,headline",
    people,
    (i) => `p${i},Person ${i},p${i}@example.test,"Synthetic, #${i}"`,
  );
}

/**
 * `relationships` distinct pairs among `people` people: row k joins person k mod n with the person
 * (1 + ⌊k / n⌋) places further round the ring, so no pair repeats while ⌊k / n⌋ stays well below n / 2.
 */
export async function writeSyntheticRelationships(path: string, people: number, relationships: number): Promise<void> {
  if (relationships / people >= people / 2 - 1) throw new RangeError("too many relationships for so few people");
  const start = Date.UTC(2015, 0, 1);
  await writeLines(path, "personA,personB,kind,since", relationships, (k) => {
    const a = k % people;
    const b = (a + 1 + Math.floor(k / people)) % people;
    const since = new Date(start + ((k * 7919) % 3650) * DAY_MS).toISOString().slice(0, 10);
    return `p${a},p${b},${KINDS[k % KINDS.length]},${since}`;
  });
}
