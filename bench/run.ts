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
// `--replicas <n>` (api): the API replicas behind a load balancer (bench/apiReplicas.ts).
const rat = args.indexOf("--replicas");
const replicas = rat >= 0 ? Number(args[rat + 1]) : undefined;
if (rat >= 0 && !(Number.isInteger(replicas) && replicas! >= 1)) {
  console.error("perpwatch bench: --replicas needs a number of replicas (e.g. 2)");
  process.exit(1);
}
// Every flag and its value; what is left names the benches to run.
const flags = new Set<number>();
for (const f of [at, rat]) if (f >= 0) flags.add(f).add(f + 1);
const wanted = args.filter((_, i) => !flags.has(i));
for (const name of BENCHES) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const mod = (await import(`./${name}.bench.js`)) as {
    run: (opts?: { protocol?: string; replicas?: number }) => Promise<void> | void;
  };
  const started = performance.now();
  const opts = {
    ...(protocol === undefined ? {} : { protocol }),
    ...(replicas ? { replicas } : {}),
  };
  await (Object.keys(opts).length === 0 ? mod.run() : mod.run(opts));
  console.log(`(${name} bench took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
