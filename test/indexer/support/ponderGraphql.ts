/**
 * Test support: read the indexer's tables through Ponder's generated GraphQL
 * (`/ponder/graphql`), the same on PGlite and PostgreSQL and while Ponder holds the database.
 *
 * Why GraphQL and not SQL over HTTP: on PGlite, Ponder 0.16 flushes large batches of updates
 * through a temporary table named like the target table, on its single PGlite session; SQL
 * over HTTP runs unqualified table names on that same session, where the (empty) temporary
 * table shadows the real one. GraphQL queries name the schema explicitly.
 */

export type Row = Record<string, string | number | boolean | null>;

export async function graphql<T>(
  ponderUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const res = await fetch(`${ponderUrl}/ponder/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (!res.ok || body.errors || !body.data) {
    throw new Error(`GraphQL failed (${res.status}): ${JSON.stringify(body.errors)}\n${query}`);
  }
  return body.data;
}

const fieldCache = new Map<string, string[]>();

/** Scalar field names of a GraphQL object type (one per table column). */
async function fieldsOf(ponderUrl: string, typeName: string): Promise<string[]> {
  const cached = fieldCache.get(typeName);
  if (cached) return cached;
  const data = await graphql<{ __type: { fields: { name: string }[] } | null }>(
    ponderUrl,
    "query ($name: String!) { __type(name: $name) { fields { name } } }",
    { name: typeName },
  );
  if (!data.__type) throw new Error(`no GraphQL type ${typeName}`);
  const fields = data.__type.fields.map((f) => f.name);
  fieldCache.set(typeName, fields);
  return fields;
}

/** Every row of one table, through its plural query, in primary-key order. */
export async function readTable(ponderUrl: string, typeName: string): Promise<Row[]> {
  const fields = await fieldsOf(ponderUrl, typeName);
  const plural = `${typeName}s`;
  const rows: Row[] = [];
  let after: string | null = null;
  do {
    const data: Record<
      string,
      { items: Row[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }
    > = await graphql(
      ponderUrl,
      `query ($after: String) { ${plural}(limit: 1000, after: $after) {
         items { ${fields.join(" ")} } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    const page = data[plural]!;
    rows.push(...page.items);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after !== null);
  return rows;
}

/** GraphQL type names of every table the indexer writes (see ponder.schema.ts). */
export const INDEXED_TABLES = [
  "exchange",
  "market",
  "oraclePrice",
  "priceUpdate",
  "fundingUpdate",
  "account",
  "position",
  "positionChange",
  "collateralChange",
  "liquidation",
  "adlEvent",
  "badDebt",
  "badDebtUpdate",
  "insuranceFundUpdate",
  "mirrorCheck",
] as const;

/** All rows of every indexed table, each row one line of `field=value`s, in key order. */
export async function readAllTables(ponderUrl: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of INDEXED_TABLES) {
    const rows = await readTable(ponderUrl, table);
    out[table] = rows.map((r) =>
      Object.keys(r)
        .sort()
        .map((k) => `${k}=${String(r[k])}`)
        .join(" "),
    );
  }
  return out;
}

/** A bigint from a BigInt field (a decimal string in GraphQL). */
export function big(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" || typeof v === "string") return BigInt(v);
  throw new Error(`not a number: ${String(v)}`);
}
