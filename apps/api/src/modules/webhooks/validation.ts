// What a webhook endpoint must be before anything is stored: an absolute HTTPS URL (plain HTTP only on this machine,
// for development), without credentials, whose host resolves and accepts connections, and a non-empty set of known
// event types. Every refusal is a ValidationError naming the field.
import { lookup } from "node:dns/promises";
import { BlockList, connect, isIPv6 } from "node:net";
import { ValidationError } from "../../errors.ts";
import { EVENT_TYPES, isPartnerEventType, type PartnerEventType } from "../events/catalog.ts";

/** Addresses inside a private network or this machine: in production an endpoint may not point there. */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ["10.0.0.0", 8],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["100.64.0.0", 10],
  ["0.0.0.0", 8],
] as const)
  PRIVATE.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["::ffff:0:0", 96],
] as const)
  PRIVATE.addSubnet(network, prefix, "ipv6");

/** Private and loopback endpoints are for development: refused under NODE_ENV=production unless allowed explicitly. */
function privateAllowed(env = process.env): boolean {
  return env.INTROGRAPH_WEBHOOKS_ALLOW_PRIVATE === "1" || env.NODE_ENV !== "production";
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);
const MAX_URL_LENGTH = 2_000;
const CONNECT_TIMEOUT_MS = 3_000;

export function parseEndpointUrl(text: string, path: string[]): URL {
  let url: URL;
  if (text.length > MAX_URL_LENGTH) throw ValidationError.of(path, `must be at most ${MAX_URL_LENGTH} characters`);
  try {
    url = new URL(text.trim());
  } catch {
    throw ValidationError.of(path, "must be an absolute URL (https://…)");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw ValidationError.of(path, `must be an https URL, not ${url.protocol.replace(/:$/, "")}`);
  if (url.protocol === "http:" && !LOCAL_HOSTS.has(url.hostname))
    throw ValidationError.of(path, "must use https (plain http only for localhost)");
  if (url.username || url.password)
    throw ValidationError.of(path, "must not carry credentials; authenticate the request by its signature");
  if (url.hash) throw ValidationError.of(path, "must not have a #fragment");
  return url;
}

/** Resolves the host and opens a TCP connection to it: an endpoint nobody could ever deliver to is refused now. */
export async function checkReachable(url: URL, path: string[]): Promise<void> {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  let address: string;
  try {
    address = (await lookup(host)).address;
  } catch {
    throw ValidationError.of(path, `the host ${JSON.stringify(host)} does not resolve`);
  }
  if (!privateAllowed() && PRIVATE.check(address, isIPv6(address) ? "ipv6" : "ipv4"))
    throw ValidationError.of(path, `${url.host} is inside a private network; endpoints must be reachable publicly`);
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const reached = await new Promise<string | null>((resolve) => {
    const socket = connect({ host: address, port });
    const done = (problem: string | null) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => done("did not answer in time"));
    socket.once("connect", () => done(null));
    socket.once("error", (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
  if (reached !== null) throw ValidationError.of(path, `cannot connect to ${url.host} (${reached})`);
}

export function parseEventTypes(types: readonly string[], path: string[]): PartnerEventType[] {
  const unique = [...new Set(types.map((type) => type.trim()))];
  if (unique.length === 0) throw ValidationError.of(path, "choose at least one event type");
  const unknown = unique.filter((type) => !isPartnerEventType(type));
  if (unknown.length)
    throw ValidationError.of(
      path,
      `unknown event type${unknown.length > 1 ? "s" : ""} ${unknown.map((type) => JSON.stringify(type.slice(0, 60))).join(", ")}; known: ${Object.keys(EVENT_TYPES).join(", ")}`,
    );
  return unique.filter(isPartnerEventType).sort();
}
