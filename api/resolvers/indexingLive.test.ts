import { describe, expect, it } from "vitest";
import { indexingLive } from "./indexingLive.js";

describe("indexingStatus.live", () => {
  it("is false until Ponder is ready, whatever the lag", () => {
    expect(indexingLive(false, 0n, 0)).toBe(false);
  });
  it("is false while ready but behind: block 0 with the head 9 blocks (9 s) on", () => {
    expect(indexingLive(true, 9n, 9)).toBe(false);
  });
  it("is true once caught up: a block or two behind, or a few seconds", () => {
    expect(indexingLive(true, 0n, 0)).toBe(true);
    expect(indexingLive(true, 2n, 24)).toBe(true); // 12-second blocks
    expect(indexingLive(true, 8n, 2)).toBe(true); // quarter-second blocks
    expect(indexingLive(true, 3n, 36)).toBe(false);
  });
});
