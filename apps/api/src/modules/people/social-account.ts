// Social accounts: the vanity numbers (followers, engagement) with the audience quality that discounts bought reach.
import { SocialPlatform } from "@intrograph/db";
import { builder } from "../../builder.ts";

export const SocialPlatformEnum = builder.enumType(SocialPlatform, { name: "SocialPlatform" });

export const SocialAccount = builder.prismaNode("SocialAccount", {
  id: { field: "id" },
  select: { id: true },
  // node(id) of a missing record is null, not an error.
  nullable: true,
  fields: (t) => ({
    person: t.relation("person"),
    platform: t.expose("platform", { type: SocialPlatformEnum }),
    handle: t.exposeString("handle"),
    followers: t.exposeInt("followers"),
    following: t.exposeInt("following"),
    engagementRate: t.exposeFloat("engagementRate"),
    audienceQuality: t.exposeFloat("audienceQuality", {
      description: "Share (0..1) of the audience that is real and active.",
    }),
    qualifiedAudience: t.int({
      description: "followers × audienceQuality: the reach that is real.",
      select: { followers: true, audienceQuality: true },
      resolve: (account) => Math.round(account.followers * account.audienceQuality),
    }),
  }),
});
