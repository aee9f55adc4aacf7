/**
 * A persistent (immutable) map from small integers to values: a 32-way trie over the key's
 * 21 bits. `set` and `delete` copy only the five nodes on the key's path, so a pool state
 * derived from another shares every tick and observation it did not touch; iteration runs in
 * ascending key order. Keys: integers in [-2^20, 2^20) (ticks are within ±887272).
 */

const KEY_OFFSET = 1 << 20;
const SHIFTS = [20, 15, 10, 5] as const;
const WIDTH = 32;

type Node = unknown[];

function slot(key: number, shift: number): number {
  return ((key + KEY_OFFSET) >>> shift) & (WIDTH - 1);
}

function checkKey(key: number): void {
  if (!Number.isInteger(key) || key < -KEY_OFFSET || key >= KEY_OFFSET) {
    throw new RangeError(`IntMap: key ${key} is not an integer in [-2^20, 2^20)`);
  }
}

export class IntMap<V> {
  private static readonly EMPTY = new IntMap<never>(undefined, 0);

  private constructor(
    private readonly root: Node | undefined,
    readonly size: number,
  ) {}

  static empty<V>(): IntMap<V> {
    return IntMap.EMPTY as IntMap<V>;
  }

  get(key: number): V | undefined {
    let node = this.root;
    for (const shift of SHIFTS) {
      if (node === undefined) return undefined;
      node = node[slot(key, shift)] as Node | undefined;
    }
    return node?.[slot(key, 0)] as V | undefined;
  }

  has(key: number): boolean {
    return this.get(key) !== undefined;
  }

  set(key: number, value: V): IntMap<V> {
    checkKey(key);
    if (value === undefined) throw new TypeError("IntMap.set: undefined is not a value");
    const had = this.get(key) !== undefined;
    return new IntMap<V>(setIn(this.root, key, value, 0), had ? this.size : this.size + 1);
  }

  delete(key: number): IntMap<V> {
    if (this.get(key) === undefined) return this;
    return new IntMap<V>(deleteIn(this.root!, key, 0), this.size - 1);
  }

  /** [key, value] pairs in ascending key order. */
  *entries(): IterableIterator<[number, V]> {
    if (this.root) yield* walk<V>(this.root, 0, 0);
  }

  keys(): number[] {
    return Array.from(this.entries(), ([k]) => k);
  }
}

function setIn(node: Node | undefined, key: number, value: unknown, level: number): Node {
  const copy = node ? node.slice() : new Array(WIDTH);
  if (level === SHIFTS.length) {
    copy[slot(key, 0)] = value;
  } else {
    const i = slot(key, SHIFTS[level]!);
    copy[i] = setIn(copy[i] as Node | undefined, key, value, level + 1);
  }
  return copy;
}

/** Removes a key known to be present; returns undefined when the node becomes empty. */
function deleteIn(node: Node, key: number, level: number): Node | undefined {
  const copy = node.slice();
  if (level === SHIFTS.length) {
    copy[slot(key, 0)] = undefined;
  } else {
    const i = slot(key, SHIFTS[level]!);
    copy[i] = deleteIn(copy[i] as Node, key, level + 1);
  }
  return copy.some((x) => x !== undefined) ? copy : undefined;
}

function* walk<V>(node: Node, level: number, prefix: number): IterableIterator<[number, V]> {
  for (let i = 0; i < WIDTH; i++) {
    const child = node[i];
    if (child === undefined) continue;
    const bits = level === SHIFTS.length ? 0 : SHIFTS[level]!;
    const key = prefix + i * 2 ** bits;
    if (level === SHIFTS.length) yield [key - KEY_OFFSET, child as V];
    else yield* walk<V>(child as Node, level + 1, key);
  }
}
