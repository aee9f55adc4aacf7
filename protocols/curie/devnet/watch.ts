/**
 * Which accounts the liquidation keeper reads each block. Curie's account views are heavy
 * (every one takes the mark price, a median of three pool TWAPs and the index TWAP, per
 * market held), and reading every open account every block cost most of a tick. So, like a
 * real keeper, it re-prices its last reading with the marks' moves since, and reads again the
 * accounts that look close to liquidation, those that traded or were liquidated, and a tenth
 * of the rest in turn every block. Only chain reads feed it, so it stays deterministic.
 */
import type { AccountState } from "./chainState.js";

/** Maintenance-margin ratio (ClearingHouseConfig default 6.25 %). */
const MM_RATIO = 0.0625;
/** Read again when value / margin requirement is below this (margin ratio under ~12.5 %). */
const NEAR = 2;
/** Every account is read at least every this many blocks. */
const ROUND = 10;

interface Reading {
  value: number;
  sizes: number[];
  marks: readonly number[];
}

export class AccountWatch {
  private readonly readings = new Map<number, Reading>();
  private readonly dirty = new Set<number>();

  /** Forgets `id`'s reading: it traded or was liquidated. */
  touch(id: number): void {
    this.dirty.add(id);
  }

  /** The ids (ascending) to read this block, out of `ids`. */
  toRead(ids: Iterable<number>, tick: number, marks: readonly number[]): number[] {
    const out: number[] = [];
    for (const id of ids) {
      const r = this.readings.get(id);
      if (!r || this.dirty.has(id) || id % ROUND === tick % ROUND || this.near(r, marks))
        out.push(id);
    }
    return out.sort((a, b) => a - b);
  }

  private near(r: Reading, marks: readonly number[]): boolean {
    let value = r.value;
    let requirement = 0;
    r.sizes.forEach((size, m) => {
      value += size * (marks[m]! - r.marks[m]!);
      requirement += Math.abs(size) * marks[m]! * MM_RATIO;
    });
    return requirement > 0 && value < requirement * NEAR;
  }

  record(ids: readonly number[], states: readonly AccountState[], marks: readonly number[]): void {
    ids.forEach((id, i) => {
      const s = states[i]!;
      this.dirty.delete(id);
      this.readings.set(id, { value: s.value, sizes: s.sizes.map((x) => Number(x) / 1e18), marks });
    });
  }
}
