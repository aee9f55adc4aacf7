import { describe, expect, it } from "vitest";
import { loadReplicaConfig } from "./replicaConfig.js";

describe("loadReplicaConfig", () => {
  it("defaults: not a replica, 2 blocks of lag; `perpwatch serve`'s values are read", () => {
    expect(loadReplicaConfig({})).toEqual({ follow: false, maxLagBlocks: 2 });
    expect(
      loadReplicaConfig({ PERPWATCH_REPLICA: "1", PERPWATCH_REPLICA_MAX_LAG_BLOCKS: "0" }),
    ).toEqual({ follow: true, maxLagBlocks: 0 });
  });

  it("a bad value is one line naming the key, the value and what was expected", () => {
    expect(() => loadReplicaConfig({ PERPWATCH_REPLICA: "yes" })).toThrow(
      'PERPWATCH_REPLICA: expected 0 or 1 (got "yes")',
    );
    expect(() => loadReplicaConfig({ PERPWATCH_REPLICA_MAX_LAG_BLOCKS: "1.5" })).toThrow(
      'PERPWATCH_REPLICA_MAX_LAG_BLOCKS: expected an integer from 0 to 1000000 (got "1.5")',
    );
  });
});
