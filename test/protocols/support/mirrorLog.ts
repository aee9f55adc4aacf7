/**
 * Test support: the Curie mirror's reloads, read from Ponder's JSON log lines. The mirror logs
 * "curie mirror reloaded" each time it rebuilds its state from the tables (protocols/curie/
 * indexer/mirror.ts `load`): the snapshot's block, the cursor's block and how many journaled
 * logs it replayed — how a test knows the reorg or restart path really ran.
 */

export interface MirrorReload {
  snapshot: number | null;
  cursor: number | null;
  journal: number;
}

/** Every reload among `lines`, in order. */
export function mirrorReloads(lines: readonly string[]): MirrorReload[] {
  const out: MirrorReload[] = [];
  for (const line of lines) {
    if (!line.includes('"curie mirror reloaded"')) continue;
    const { snapshot, cursor, journal } = JSON.parse(line) as MirrorReload;
    out.push({ snapshot, cursor, journal });
  }
  return out;
}
