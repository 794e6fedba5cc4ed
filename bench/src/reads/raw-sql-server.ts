// The raw-SQL reference of bench:reads: one SQL statement builds the whole JSON answer of the nested read
// people(first: 20) → relationships(first: 5) → otherPerson → relationships(first: 3) → otherPerson, with the partner's
// visibility, served over node:http. What a request costs when nothing but PostgreSQL and one round trip stand in the way.
import { createServer } from "node:http";
import pg from "pg";

/** Relationships a partner sees: live, public or its own. */
const visibleRelationship = `r."deletedAt" IS NULL AND (r."reportedByPartnerId" IS NULL OR r."reportedByPartnerId" = $1::uuid)`;

const NESTED_READ = `
SELECT json_build_object('data', json_build_object('people', json_build_object('edges', COALESCE(json_agg(
  json_build_object('node', json_build_object(
    'displayName', p."displayName",
    'relationships', json_build_object('edges', (
      SELECT COALESCE(json_agg(json_build_object('node', json_build_object(
        'strength', s.strength,
        'otherPerson', json_build_object(
          'displayName', o."displayName",
          'relationships', json_build_object('edges', (
            SELECT COALESCE(json_agg(json_build_object('node', json_build_object(
              'otherPerson', json_build_object('displayName', o2."displayName"))) ORDER BY s2.id), '[]'::json)
            FROM (
              SELECT side.id, side."otherPersonId" FROM "RelationshipSide" side
              JOIN "Relationship" r ON r.id = side."relationshipId" AND ${visibleRelationship}
              WHERE side."personId" = o.id ORDER BY side.id LIMIT $3
            ) s2 JOIN "Person" o2 ON o2.id = s2."otherPersonId"
          ))
        ))) ORDER BY s.id), '[]'::json)
      FROM (
        SELECT side.id, side."otherPersonId", r.strength FROM "RelationshipSide" side
        JOIN "Relationship" r ON r.id = side."relationshipId" AND ${visibleRelationship}
        WHERE side."personId" = p.id ORDER BY side.id LIMIT $2
      ) s JOIN "Person" o ON o.id = s."otherPersonId"
    ))
  )) ORDER BY p.id), '[]'::json)))) AS body
FROM (
  SELECT id, "displayName" FROM "Person" WHERE "deletedAt" IS NULL AND "mergedIntoId" IS NULL ORDER BY id LIMIT 20
) p`;

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const partnerId = process.env.PARTNER_ID;
const port = Number(process.env.PORT);

const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    pool.query<{ body: unknown }>({ text: NESTED_READ, values: [partnerId, 5, 3], name: "nested-read" }).then(
      ({ rows }) => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify(rows[0]!.body));
      },
      (error: Error) => {
        response.writeHead(500, { "content-type": "text/plain" });
        response.end(error.message);
      },
    );
  });
});
server.listen(port, "127.0.0.1", () => console.log(`raw SQL reference on ${port}`));
