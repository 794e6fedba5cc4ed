// LinkedIn's Connections.csv export: a few "Notes:" lines, a blank line, then
// `First Name,Last Name,URL,Email Address,Company,Position,Connected On` with dates like `12 Mar 2021`.
import { RowError, type LinkedInConnectionRecord } from "../records.ts";
import { type Fields, normalizeEmail, normalizeProfileUrl, text } from "./fields.ts";

export const LINKEDIN_HEADER_START = "First Name";

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

export function parseLinkedInRow(fields: Fields): LinkedInConnectionRecord {
  const firstName = text(fields, "First Name") ?? "";
  const lastName = text(fields, "Last Name") ?? "";
  const displayName = `${firstName} ${lastName}`.trim().replace(/\s+/g, " ");
  if (!displayName) throw new RowError("First Name/Last Name: both empty");
  const url = text(fields, "URL");
  const email = text(fields, "Email Address");
  const connectedOn = text(fields, "Connected On");
  return {
    type: "linkedinConnection",
    displayName,
    profileUrl: url === undefined ? undefined : normalizeProfileUrl(url),
    email: email === undefined ? undefined : normalizeEmail(email),
    company: text(fields, "Company"),
    position: text(fields, "Position"),
    connectedOn: connectedOn === undefined ? undefined : parseConnectedOn(connectedOn),
  };
}

/** "12 Mar 2021" (LinkedIn's format) as midnight UTC; ISO dates are accepted too. */
export function parseConnectedOn(value: string): Date {
  const match = /^(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*[ -](\d{4})$/.exec(value);
  if (match) {
    const month = MONTHS[match[2]!.toLowerCase()];
    const day = Number(match[1]);
    if (month !== undefined && day >= 1 && day <= 31) return new Date(Date.UTC(Number(match[3]), month, day));
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const parsed = new Date(value);
    if (!Number.isNaN(parsed.getTime())) return parsed;
  }
  throw new RowError(`Connected On: "${value}" is not a date like "12 Mar 2021"`);
}
