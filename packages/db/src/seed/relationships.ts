// Ties between the people of the demo network, so the graph algorithms have something to find: colleagues and community
// co-members, investors and vendors who know companies' decision makers, super-connectors across every cluster,
// triadic closure inside topic and city communities, and a few weak ties for the influencers.
import type { RelationshipKind } from "../generated/prisma/enums.ts";
import { type Cast, type DemoNetwork, uniqueList } from "./network.ts";

/** Colleagues (current and former) and community co-members. */
export function connectColleagues(network: DemoNetwork): void {
  const { random } = network;
  for (const org of network.organizations) {
    const members = uniqueList(org.members);
    const kind: RelationshipKind = org.row.kind === "COMMUNITY" ? "COMMUNITY" : "COLLEAGUE";
    for (const member of members) {
      const ties = Math.min(
        members.length - 1,
        org.row.kind === "COMMUNITY" ? random.between(1, 3) : random.between(2, 5),
      );
      for (const other of random.sample(members, ties + 1)) network.addEdge(member, other, kind);
    }
  }
}

/** Investors, vendors and partner platforms know companies' decision makers. */
export function connectDecisionMakers(network: DemoNetwork, { regulars, decisionMakers }: Cast): void {
  const { random, organizations: orgs, people } = network;
  const companyDecisionMakers = decisionMakers.filter((i) => orgs[people[i]!.primaryOrg!]!.row.kind === "COMPANY");
  // Per topic, once: filtering for every regular made this quadratic in the network's size.
  const byTopic = new Map<string, number[]>();
  const sameTopicAs = (topic: string): number[] => {
    let found = byTopic.get(topic);
    if (!found) {
      found = companyDecisionMakers.filter((j) => people[j]!.topics.includes(topic));
      byTopic.set(topic, found);
    }
    return found;
  };
  for (const i of regulars) {
    const orgKind = orgs[people[i]!.primaryOrg!]!.row.kind;
    if (orgKind === "COMPANY" || orgKind === "COMMUNITY" || companyDecisionMakers.length === 0) continue;
    const kind: RelationshipKind = orgKind === "INVESTOR" ? "INVESTOR" : "CLIENT";
    const topic = orgs[people[i]!.primaryOrg!]!.topic;
    const sameTopic = sameTopicAs(topic);
    for (let t = random.between(2, 6); t > 0; t -= 1) {
      const pool = sameTopic.length > 0 && random.chance(0.7) ? sameTopic : companyDecisionMakers;
      network.addEdge(i, random.pick(pool), kind);
    }
  }
}

/** Super-connectors reach into every cluster and into each other. */
export function connectSuperConnectors(
  network: DemoNetwork,
  { regulars, decisionMakers, superConnectors }: Cast,
): void {
  const { random } = network;
  for (const connector of superConnectors) {
    const reach = Math.min(Math.floor(regulars.length / 4), random.between(60, 140));
    for (let t = 0; t < reach; t += 1) {
      const other =
        random.chance(0.4) && decisionMakers.length > 0 ? random.pick(decisionMakers) : random.pick(regulars);
      network.addEdge(
        connector,
        other,
        random.weighted([
          ["ADVISOR", 3],
          ["FRIEND", 3],
          ["COMMUNITY", 2],
          ["INVESTOR", 1],
          ["OTHER", 2],
        ] as const),
      );
    }
    for (const other of superConnectors)
      if (other !== connector && random.chance(0.5)) network.addEdge(connector, other, "FRIEND");
  }
}

/** Fills up to the target density inside communities: friends of friends, then topic and city peers. */
export function fillCommunities(network: DemoNetwork, { regulars }: Cast): void {
  const { random, people, edgeList } = network;
  const byTopic = new Map<string, number[]>();
  const byCity = new Map<string, number[]>();
  for (const i of regulars) {
    const person = people[i]!;
    for (const topic of person.topics) (byTopic.get(topic) ?? byTopic.set(topic, []).get(topic)!).push(i);
    (byCity.get(person.city) ?? byCity.set(person.city, []).get(person.city)!).push(i);
  }
  const baseTarget = Math.round(regulars.length * 6.95);
  for (let attempts = 0; edgeList.length < baseTarget && attempts < baseTarget * 20; attempts += 1) {
    const person = random.pick(regulars);
    const mode = random.next();
    if (mode < 0.45) {
      const via = network.neighborsOf(person);
      if (via.length === 0) continue;
      const friendsOfFriend = network.neighborsOf(random.pick(via));
      if (friendsOfFriend.length === 0) continue;
      const other = random.pick(friendsOfFriend);
      if (network.isRegular(other))
        network.addEdge(
          person,
          other,
          random.weighted([
            ["FRIEND", 3],
            ["OTHER", 2],
            ["COLLEAGUE", 1],
            ["ADVISOR", 1],
          ] as const),
        );
    } else if (mode < 0.9) {
      const topicPeers = byTopic.get(random.pick(people[person]!.topics)) ?? [];
      const cityPeers = byCity.get(people[person]!.city) ?? [];
      const pool = mode < 0.75 || cityPeers.length < 2 ? topicPeers : cityPeers;
      if (pool.length === 0) continue;
      network.addEdge(
        person,
        random.pick(pool),
        random.weighted([
          ["COMMUNITY", 3],
          ["FRIEND", 2],
          ["OTHER", 2],
          ["ADVISOR", 1],
          ["FAMILY", 0.2],
        ] as const),
      );
    } else {
      // Preferential attachment: an endpoint of a random tie is picked in proportion to its degree.
      const edge = random.pick(edgeList);
      network.addEdge(
        person,
        random.chance(0.5) ? edge.a : edge.b,
        random.weighted([
          ["OTHER", 2],
          ["FRIEND", 1],
          ["CLIENT", 1],
        ] as const),
      );
    }
  }
}

/** Influencers: huge audiences, a couple of weak real ties. */
export function connectInfluencers(network: DemoNetwork, { regulars, influencers }: Cast): void {
  const { random } = network;
  for (const influencer of influencers) {
    for (let t = random.between(1, 3); t > 0; t -= 1)
      network.addEdge(influencer, random.pick(regulars), random.pick(["FRIEND", "OTHER"] as const), {
        profile: "light",
      });
  }
}
