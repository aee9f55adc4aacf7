import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import * as engine from "./index.js";

const here = dirname(fileURLToPath(import.meta.url));
const engineRoot = resolve(here, "..");

describe("engine/exact public API", () => {
  test("every operation and view is exported", () => {
    for (const name of [
      "applyOperation",
      "createAccount",
      "modifyCollateral",
      "modifyPosition",
      "liquidate",
      "autoDeleverage",
      "createMarket",
      "setMarketParams",
      "setMaxPriceAge",
      "depositInsuranceFund",
      "setPrice",
      "setPrices",
      "setUpdater",
      "accountHealth",
      "canLiquidate",
      "fundingIndex",
      "currentFundingRate",
      "getFundingVelocity",
      "getMarket",
      "getPosition",
      "getAccount",
      "getAdlRecord",
      "fillPriceView",
      "marketMarks",
      "healthWithMarks",
      "rankAdlCounterparties",
      "deployedState",
    ]) {
      expect(typeof (engine as Record<string, unknown>)[name], name).toBe("function");
    }
  });

  test("the engine is pure: no import reaches outside engine/, and no I/O module is used", () => {
    const files = readdirSync(here).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
    expect(files.length).toBeGreaterThan(15);
    for (const f of files) {
      const src = readFileSync(join(here, f), "utf8");
      for (const m of src.matchAll(/from\s+"([^"]+)"/g)) {
        const spec = m[1]!;
        expect(spec.startsWith("."), `${f} imports ${spec}`).toBe(true);
        expect(resolve(here, spec).startsWith(engineRoot), `${f} imports ${spec}`).toBe(true);
        expect(spec.endsWith(".js"), `${f} imports ${spec} without .js`).toBe(true);
      }
    }
  });
});
