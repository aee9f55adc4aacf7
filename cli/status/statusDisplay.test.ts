import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createStatusDisplay } from "./statusDisplay.js";
import type { StatusSnapshot } from "./statusSnapshot.js";

const snap: StatusSnapshot = {
  chainHead: 10,
  indexedBlock: 9,
  backfill: null,
  live: true,
  accounts: { block: 9, total: 5, withPositions: 4, atRisk: 1 },
  firing: [],
  delivered: 0,
  pending: 0,
};

function capture() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (d: Buffer) => {
    text += d.toString();
  });
  return { stream, text: () => text };
}

describe("plain status display", () => {
  it("prints a phase change at once and other changes at most every interval", () => {
    const out = capture();
    const d = createStatusDisplay({ stream: out.stream, plainEverySeconds: 3600 });
    d.update({ ...snap, indexedBlock: null });
    d.update({ ...snap, indexedBlock: 3, backfill: { fraction: 0.3 } });
    d.update({ ...snap, indexedBlock: 4, backfill: { fraction: 0.4 } }); // same phase, not due
    d.update(snap);
    d.log("alert delivered: cascade-risk");
    const lines = out.text().trim().split("\n");
    expect(lines.filter((l) => l.includes("· starting"))).toHaveLength(1);
    expect(lines.filter((l) => l.includes("· backfilling"))).toHaveLength(1);
    expect(lines.some((l) => l.includes("40.0%"))).toBe(false);
    expect(lines.filter((l) => l.includes("· indexing live"))).toHaveLength(1);
    expect(lines.at(-1)).toBe("alert delivered: cascade-risk");
  });
});

describe("terminal status display", () => {
  it("redraws in place and keeps logged lines above the block", () => {
    const out = capture();
    const stream = Object.assign(out.stream, { isTTY: true, columns: 120, rows: 40 });
    const d = createStatusDisplay({ stream });
    d.update(snap);
    d.log("block 10 [crash] ETH 3100");
    d.update({ ...snap, chainHead: 11, indexedBlock: 11 });
    d.stop();
    const text = out.text();
    expect(text).toContain("block 10 [crash] ETH 3100\n");
    expect(text).toContain("chain head 11 · indexed 11 · lag 0 blocks · indexing live");
    expect(text).toContain(`${String.fromCharCode(27)}[`); // ANSI erase sequences: drawn in place
  });
});
