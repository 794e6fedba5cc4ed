// Relay global ids in, database ids out: a wrong or malformed id is a ValidationError, never a crash.
import { decodeGlobalID } from "@pothos/plugin-relay";
import { ValidationError } from "./errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id as a message may quote it: long or binary input is cut, not echoed whole. */
function quoted(globalId: string): string {
  return JSON.stringify(globalId.length > 80 ? `${globalId.slice(0, 80)}…` : globalId);
}

/**
 * A global id of any node type, checked for shape: base64 of `<Type>:<uuid>` (every node's key is a UUID). The one
 * decoder behind `node`/`nodes` (the relay plugin's `decodeGlobalID`) and every id argument (`decodeId`).
 */
export function parseGlobalId(globalId: string, path: string): { typename: string; id: string } {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(globalId);
  } catch {
    throw ValidationError.of(path.split("."), `${quoted(globalId)} is not a valid id`);
  }
  if (!UUID.test(decoded.id)) throw ValidationError.of(path.split("."), `${quoted(globalId)} is not a valid id`);
  return decoded;
}

export function decodeId(globalId: string, typename: string, path: string): string {
  const decoded = parseGlobalId(globalId, path);
  if (decoded.typename !== typename) {
    throw ValidationError.of(path.split("."), `expected the id of a ${typename}, got the id of a ${decoded.typename}`);
  }
  return decoded.id;
}

export function decodeOptionalId(
  globalId: string | null | undefined,
  typename: string,
  path: string,
): string | null | undefined {
  return globalId === null || globalId === undefined ? globalId : decodeId(globalId, typename, path);
}

/** A list of ids of one type in which each may appear once (a repeated link is a mistake, not a stronger link). */
export function decodeDistinctIds(globalIds: readonly string[], typename: string, path: string): string[] {
  const ids = globalIds.map((globalId, index) => decodeId(globalId, typename, `${path}.${index}`));
  const repeated = ids.findIndex((id, index) => ids.indexOf(id) !== index);
  if (repeated >= 0) {
    throw ValidationError.of(
      [...path.split("."), String(repeated)],
      `${quoted(globalIds[repeated]!)} is listed more than once`,
    );
  }
  return ids;
}
