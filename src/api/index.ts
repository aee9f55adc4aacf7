/**
 * Ponder's HTTP entry point. For now: Ponder's own generated GraphQL at `/ponder/graphql`
 * and SQL over HTTP at `/sql/*` (what `@ponder/client` and the worker use). `/graphql` is
 * reserved for Perpwatch's hand-written API (api/), which a later change mounts here.
 */

import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { client, graphql } from "ponder";

const app = new Hono();

app.use("/ponder/graphql", graphql({ db, schema }));
app.use("/sql/*", client({ db, schema }));

export default app;
