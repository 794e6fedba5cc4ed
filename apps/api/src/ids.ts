// Relay global ids in, database ids out: a wrong or malformed id is a ValidationError, never a crash.
import { decodeGlobalID } from "@pothos/plugin-relay";
import { ValidationError } from "./errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeId(globalId: string, typename: string, path: string): string {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(globalId);
  } catch {
    throw ValidationError.of(path, `"${globalId}" is not a valid id`);
  }
  if (decoded.typename !== typename) {
    throw ValidationError.of(path, `expected the id of a ${typename}, got the id of a ${decoded.typename}`);
  }
  if (!UUID.test(decoded.id)) throw ValidationError.of(path, `"${globalId}" is not a valid id`);
  return decoded.id;
}

export function decodeOptionalId(
  globalId: string | null | undefined,
  typename: string,
  path: string,
): string | null | undefined {
  return globalId === null || globalId === undefined ? globalId : decodeId(globalId, typename, path);
}
