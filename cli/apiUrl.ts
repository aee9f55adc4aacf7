/**
 * `--api` in either form, for every command: the API's root URL (`http://127.0.0.1:42069`, what
 * Ponder serves `/status` and `/graphql` under) or its GraphQL URL (`…/graphql`). `perpwatch
 * risk` wanted the second and `perpwatch worker` the first, each refusing the other; both now
 * go through `parseApiUrl`, which names both forms when it refuses.
 */
import { z } from "zod";
import { parseFlag } from "./usageError.js";

/** The default: a local `perpwatch start`. */
export const DEFAULT_API = "http://127.0.0.1:42069";

export interface ApiUrls {
  /** Ponder's HTTP root, no trailing slash (its `/status`, `/ready`, the exporter's reads). */
  root: string;
  /** Perpwatch's GraphQL endpoint: `${root}/graphql`. */
  graphql: string;
}

const EXPECTED =
  "expected the API's root URL like http://127.0.0.1:42069, or its GraphQL URL like http://127.0.0.1:42069/graphql";

const apiUrlSchema = z
  .string()
  .trim()
  .regex(/^https?:\/\/[^\s/?#]+(\/graphql)?\/?$/, EXPECTED);

/** Both URLs from `--api`'s value (`flag` names the option in the error). */
export function parseApiUrl(value: unknown, flag = "--api"): ApiUrls {
  const root = parseFlag(flag, apiUrlSchema, value)
    .replace(/\/$/, "")
    .replace(/\/graphql$/, "");
  return { root, graphql: `${root}/graphql` };
}
