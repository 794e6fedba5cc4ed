// Organizations and partners of the demo network: partner platforms, companies, investors, vendors and communities,
// each with a unique name and domain.
import type { OrganizationKind } from "../generated/prisma/enums.ts";
import {
  CITIES,
  COMMUNITY_PATTERNS,
  COMPANY_PREFIXES,
  COMPANY_SUFFIXES,
  INVESTOR_SUFFIXES,
  TOPICS,
  VENDOR_SUFFIXES,
} from "./names.ts";
import type { DemoNetwork, OrgInfo } from "./network.ts";
import { cityName, slug, titleCase } from "./text.ts";

/** Adds every organization; returns the partner platforms that report to intrograph as partners. */
export function addOrganizations(network: DemoNetwork): OrgInfo[] {
  const { random, organizations: orgs, newId } = network;
  const usedOrgNames = new Set<string>();
  const usedDomains = new Set<string>();
  const addOrg = (name: string, kind: OrganizationKind, topic: OrgInfo["topic"], city: string, tld: string) => {
    let domain = `${slug(name)}.${tld}`;
    for (let suffix = 2; usedDomains.has(domain); suffix += 1) domain = `${slug(name)}${suffix}.${tld}`;
    usedOrgNames.add(name);
    usedDomains.add(domain);
    const info: OrgInfo = {
      index: orgs.length,
      row: { id: newId(), name, kind, domain, description: describeOrg(kind, topic, city) },
      topic,
      city,
      members: [],
    };
    orgs.push(info);
    return info;
  };
  const uniqueName = (make: () => string) => {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const name = make();
      if (!usedOrgNames.has(name)) return name;
    }
    let name = make();
    for (let n = 2; usedOrgNames.has(name); n += 1) name = `${make()} ${n}`;
    return name;
  };

  const partnerOrgs = [
    addOrg("Northwind CRM", "PARTNER_PLATFORM", "enterprise sales", "Seattle, US", "com"),
    addOrg("Lumen Marketplace", "PARTNER_PLATFORM", "marketplaces", "Amsterdam, NL", "io"),
  ];
  for (let i = 2; i < network.scaled(10, 2); i += 1) {
    const topic = random.pick(["go-to-market", "marketplaces", "B2B SaaS", "talent & hiring"] as const);
    const name = uniqueName(
      () => `${random.pick(COMPANY_PREFIXES)} ${random.pick(["Connect", "Platform", "Network", "Relay"])}`,
    );
    addOrg(name, "PARTNER_PLATFORM", topic, random.pick(CITIES), "com");
  }
  for (let i = 0; i < network.scaled(190); i += 1) {
    const topic = random.pick(TOPICS);
    const name = uniqueName(() => `${random.pick(COMPANY_PREFIXES)} ${random.pick(COMPANY_SUFFIXES[topic])}`);
    addOrg(name, "COMPANY", topic, random.pick(CITIES), random.pick(["com", "io", "ai", "co"]));
  }
  for (let i = 0; i < network.scaled(45); i += 1) {
    const topic = random.pick(TOPICS);
    const name = uniqueName(() => `${random.pick(COMPANY_PREFIXES)} ${random.pick(INVESTOR_SUFFIXES)}`);
    addOrg(name, "INVESTOR", topic, random.pick(CITIES), random.pick(["vc", "com", "capital"]));
  }
  for (let i = 0; i < network.scaled(35); i += 1) {
    const topic = random.pick(TOPICS);
    const name = uniqueName(() => `${random.pick(COMPANY_PREFIXES)} ${random.pick(VENDOR_SUFFIXES)}`);
    addOrg(name, "VENDOR", topic, random.pick(CITIES), "com");
  }
  for (let i = 0; i < network.scaled(20); i += 1) {
    const topic = random.pick(TOPICS);
    const city = random.pick(CITIES);
    const name = uniqueName(() =>
      random
        .pick(COMMUNITY_PATTERNS)
        .replace("{city}", cityName(random.pick(CITIES)))
        .replace("{topic}", titleCase(random.pick(TOPICS))),
    );
    addOrg(name, "COMMUNITY", topic, city, "org");
  }
  return partnerOrgs;
}

/** The partner accounts of the given platforms (their ids follow every organization's). */
export function addPartners(network: DemoNetwork, partnerOrgs: readonly OrgInfo[]): void {
  for (const org of partnerOrgs) {
    network.partners.push({
      id: network.newId(),
      name: org.row.name,
      slug: slug(org.row.name, "-"),
      organizationId: org.row.id,
    });
  }
}

function describeOrg(kind: OrganizationKind, topic: string, city: string): string {
  switch (kind) {
    case "INVESTOR":
      return `Early-stage investor backing ${topic} founders, based in ${city}.`;
    case "VENDOR":
      return `Services firm working with ${topic} companies, based in ${city}.`;
    case "PARTNER_PLATFORM":
      return `Platform for ${topic} teams; reports introductions and outcomes to intrograph.`;
    case "COMMUNITY":
      return `Community for people working in ${topic}.`;
    default:
      return `A ${topic} company based in ${city}.`;
  }
}
