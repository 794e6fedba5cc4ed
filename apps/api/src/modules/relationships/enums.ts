// GraphQL enums for relationships and their evidence, mirroring the database enums.
import { InteractionKind, RecordSource, RelationshipKind, RelationshipStatus } from "@intrograph/db";
import { builder } from "../../builder.ts";

export const RelationshipKindEnum = builder.enumType(RelationshipKind, { name: "RelationshipKind" });
export const RelationshipStatusEnum = builder.enumType(RelationshipStatus, { name: "RelationshipStatus" });
export const RecordSourceEnum = builder.enumType(RecordSource, { name: "RecordSource" });
export const InteractionKindEnum = builder.enumType(InteractionKind, { name: "InteractionKind" });
