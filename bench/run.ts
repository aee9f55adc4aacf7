/**
 * `npm run bench`: every benchmark in bench/, one after the other in this process, each
 * printing its figures beside its baseline. `npm run bench -- simulator` runs one.
 */
const BENCHES = [
  "engine",
  "analytics",
  "simulator",
  "indexer",
  "api",
  "api-overload",
  "alerts",
  "dashboards",
] as const;

const wanted = process.argv.slice(2);
for (const name of BENCHES) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const mod = (await import(`./${name}.bench.js`)) as { run: () => Promise<void> | void };
  const started = performance.now();
  await mod.run();
  console.log(`(${name} bench took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
