/**
 * Test support: the API without a database (one reference exchange), for tests of what is
 * decided before any resolver reads a table (limits, bad requests, access, the alerts
 * queries). A resolver that reaches the database throws, so such a test cannot pass by
 * accident.
 */
import * as tables from "../../ponder.schema.js";
import { referenceRiskModel } from "../../protocols/reference/riskModel.js";
import { loadApiConfig } from "../config.js";
import type { Db } from "../data/ponderReader.js";
import { logger } from "../logger.js";
import { createPerpwatchApi, type PerpwatchApi } from "../server.js";

export const noDatabase = new Proxy(
  {},
  {
    get() {
      throw new Error("this test must not reach the database");
    },
  },
) as Db;

/** The API over no database, with the settings `env` gives (loadApiConfig). */
export function dbLessApi(env: Record<string, string> = {}): PerpwatchApi {
  return createPerpwatchApi({
    db: noDatabase,
    tables,
    exchanges: [
      {
        id: "reference-31337",
        protocol: "reference",
        chainId: 31337,
        chain: "perpwatch",
        riskModel: referenceRiskModel,
      },
    ],
    config: loadApiConfig(env),
    logger: logger.child({}, { level: "silent" }),
  });
}
