/**
 * `npm run bench`: every benchmark in bench/, one after the other in this process, each
 * printing its figures beside its baseline. `npm run bench -- simulator` runs one;
 * `--protocol <name>` picks the protocol of the benchmarks that take one (indexer).
 */
const BENCHES = [
  "engine",
  "analytics",
  "simulator",
  "indexer",
  "api",
  "api-overload",
  "alerts",
  "alert-quality",
  "dashboards",
  "dashboards-year",
] as const;

const args = process.argv.slice(2);
const at = args.indexOf("--protocol");
const protocol = at >= 0 ? args[at + 1] : undefined;
if (at >= 0 && !protocol) {
  console.error("perpwatch bench: --protocol needs a protocol name (e.g. curie)");
  process.exit(1);
}
const wanted = at < 0 ? args : args.filter((_, i) => i !== at && i !== at + 1);
for (const name of BENCHES) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const mod = (await import(`./${name}.bench.js`)) as {
    run: (opts?: { protocol?: string }) => Promise<void> | void;
  };
  const started = performance.now();
  await (protocol === undefined ? mod.run() : mod.run({ protocol }));
  console.log(`(${name} bench took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
