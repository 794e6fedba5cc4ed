// Field readers shared by the input formats: each trims, validates and converts one cell, or throws a RowError that
// names the column, so a rejected row's report line says exactly what was wrong.
import { RowError, type OrganizationRef, type PersonRef } from "../records.ts";

export type Fields = Record<string, unknown>;

export function text(fields: Fields, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value !== "string") throw new RowError(`${name}: expected text`);
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

export function requiredText(fields: Fields, name: string): string {
  const value = text(fields, name);
  if (value === undefined) throw new RowError(`${name}: required`);
  return value;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** ISO 8601 dates or date-times; a date alone is midnight UTC, a date-time without an offset is UTC. */
export function date(fields: Fields, name: string): Date | undefined {
  const value = text(fields, name);
  if (value === undefined) return undefined;
  if (!ISO_DATE.test(value)) throw new RowError(`${name}: "${value}" is not an ISO 8601 date`);
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value) && value.length > 10;
  const parsed = new Date(value.length > 10 && !hasZone ? `${value.replace(" ", "T")}Z` : value);
  if (Number.isNaN(parsed.getTime())) throw new RowError(`${name}: "${value}" is not a valid date`);
  return parsed;
}

export function requiredDate(fields: Fields, name: string): Date {
  const value = date(fields, name);
  if (value === undefined) throw new RowError(`${name}: required`);
  return value;
}

export function positiveNumber(fields: Fields, name: string): number | undefined {
  const value = text(fields, name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new RowError(`${name}: "${value}" is not a positive number`);
  return parsed;
}

export function count(fields: Fields, name: string): number | undefined {
  const value = text(fields, name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0 || parsed > 2_147_483_647)
    throw new RowError(`${name}: "${value}" is not a whole number from 0`);
  return parsed;
}

export function requiredCount(fields: Fields, name: string): number {
  const value = count(fields, name);
  if (value === undefined) throw new RowError(`${name}: required`);
  return value;
}

/** A share in [0, 1]. */
export function requiredShare(fields: Fields, name: string): number {
  const value = requiredText(fields, name);
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0 || parsed > 1)
    throw new RowError(`${name}: "${value}" is not between 0 and 1`);
  return parsed;
}

export function boolean(fields: Fields, name: string): boolean | undefined {
  const value = text(fields, name)?.toLowerCase();
  if (value === undefined) return undefined;
  if (["true", "yes", "1"].includes(value)) return true;
  if (["false", "no", "0"].includes(value)) return false;
  throw new RowError(`${name}: "${value}" is not true/false`);
}

/** A list: a JSON array, or text separated by "|" (CSV cells cannot hold arrays). */
export function list(fields: Fields, name: string): string[] | undefined {
  const value = fields[name];
  if (Array.isArray(value)) return value.map((item) => String(item).trim()).filter(Boolean);
  const joined = text(fields, name);
  return joined === undefined
    ? undefined
    : joined
        .split("|")
        .map((item) => item.trim())
        .filter(Boolean);
}

export function enumValue<T extends string>(fields: Fields, name: string, allowed: Record<string, T>): T | undefined {
  const value = text(fields, name);
  if (value === undefined) return undefined;
  const upper = value.toUpperCase().replace(/[\s-]+/g, "_") as T;
  if (!Object.values(allowed).includes(upper)) {
    throw new RowError(`${name}: "${value}" is not one of ${Object.values(allowed).join(", ")}`);
  }
  return upper;
}

export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * Profile URLs are matched exactly, so spell them one way: https, lower-case host, no query, fragment or trailing slash.
 * LinkedIn paths are case-insensitive and are lower-cased too.
 */
export function normalizeProfileUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new RowError(`"${value}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new RowError(`"${value}" is not an http(s) URL`);
  const host = url.hostname.toLowerCase();
  let path = url.pathname.replace(/\/+$/, "");
  if (host === "linkedin.com" || host.endsWith(".linkedin.com")) path = path.toLowerCase();
  return `https://${host}${url.port ? `:${url.port}` : ""}${path}`;
}

export function normalizeDomain(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/^www\./, "")
    .replace(/\/.*$/, "");
}

/** A person reference: an http(s) URL is a profile URL, text with "@" an email, anything else the file's own id. */
export function personRef(fields: Fields, name: string): PersonRef | undefined {
  const value = text(fields, name);
  if (value === undefined) return undefined;
  if (/^https?:\/\//i.test(value)) return { kind: "url", url: normalizeProfileUrl(value) };
  if (value.includes("@")) return { kind: "email", email: normalizeEmail(value) };
  return { kind: "file", id: value };
}

export function requiredPersonRef(fields: Fields, name: string): PersonRef {
  const value = personRef(fields, name);
  if (value === undefined) throw new RowError(`${name}: required`);
  return value;
}

/** An organization reference: "domain:acme.com", "name:Acme Inc" or the file's own id. */
export function organizationRef(fields: Fields, name: string): OrganizationRef | undefined {
  const value = text(fields, name);
  if (value === undefined) return undefined;
  if (value.startsWith("domain:")) return { kind: "domain", domain: normalizeDomain(value.slice(7)) };
  if (value.startsWith("name:")) return { kind: "name", name: value.slice(5).trim() };
  return { kind: "file", id: value };
}

export function requiredOrganizationRef(fields: Fields, name: string): OrganizationRef {
  const value = organizationRef(fields, name);
  if (value === undefined) throw new RowError(`${name}: required`);
  return value;
}
