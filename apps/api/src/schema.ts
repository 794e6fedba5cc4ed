// Assembles the GraphQL schema: imports every module for its side effects on the builder, then builds it.
import { builder } from "./builder.ts";
import "./scalars.ts";
import "./modules/common.ts";
import "./modules/people/person.ts";
import "./modules/people/social-account.ts";
import "./modules/people/duplicates.ts";
import "./modules/people/merge.ts";
import "./modules/organizations/organization.ts";
import "./modules/relationships/relationship.ts";
import "./modules/introductions/introduction.ts";
import "./modules/outcomes/outcome.ts";
import "./modules/credit/credit.ts";
import "./modules/credit/leaderboard.ts";
import "./modules/credit/dispute.ts";
import "./modules/credit/rebuild.ts";
import "./modules/credit/freshness.ts";
import "./modules/credit/chain.ts";
import "./modules/graph/warm-intro-paths.ts";
import "./modules/graph/person-metrics.ts";
import "./modules/access/partner.ts";
import "./modules/access/api-key.ts";
import "./modules/audit/audit-event.ts";
import "./modules/import/import-file.ts";
import "./modules/jobs/job-queue.ts";
import "./modules/events/subscriptions.ts";
import "./modules/webhooks/endpoint.ts";

export const schema = builder.toSchema({ sortSchema: true });
