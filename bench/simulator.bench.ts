/**
 * Simulator throughput against a real anvil with 1,000 accounts (issue: ≥ 20 tx/s sustained).
 *
 * Runs crash-cascade at max pace through its crash, and as the baseline, in the same process
 * against the same anvil, plain ERC-20 transfers sent through the same signer — the ceiling of
 * "sign, send, mine" on this machine. Prints tx/s for both, the ratio, blocks/s, per-block
 * latency percentiles and memory. `run()` is called by bench/run.ts; the file runs alone too.
 */
import { parseEther, toHex } from "viem";
import { startAnvil } from "../devnet/anvil.js";
import { BlockProducer, createChainClient, TxSigner } from "../devnet/chain.js";
import { ANVIL_KEYS, traderKey } from "../devnet/keys.js";
import { scenarioByName } from "../devnet/simulator/scenarios.js";
import { mockUSDAbi } from "../protocols/reference/contracts/generated/index.js";
import { deployExchange } from "../protocols/reference/devnet/deploy.js";
import { Simulator } from "../protocols/reference/devnet/simulator.js";
import { freePort } from "../runtime/freePort.js";
import { percentile, printTable } from "./report.js";

export interface SimulatorBenchOptions {
  accounts: number;
  ticks: number;
  /** Blocks of a second run at real-time pace (1-s blocks), to measure the live load. */
  realtimeTicks: number;
  baselineTransfers: number;
}

export async function run(
  opts: SimulatorBenchOptions = {
    accounts: 1000,
    ticks: 300,
    realtimeTicks: 30,
    baselineTransfers: 3000,
  },
): Promise<void> {
  const scenario = scenarioByName("crash-cascade");
  const anvil = await startAnvil({ port: await freePort(), mining: { kind: "manual" } });
  try {
    const client = createChainClient(anvil.rpcUrl, anvil.chainId);
    const producer = await BlockProducer.forChain(client, true, 1);
    const deployment = await deployExchange(client, producer, {
      insuranceFund: scenario.insuranceFund,
    });

    const tickMs: number[] = [];
    let last = performance.now();
    const sim = new Simulator(client, producer, deployment, {
      scenario,
      seed: 42,
      accounts: opts.accounts,
      pace: "max",
      blockTime: 1,
      ticks: opts.ticks,
      onTick: () => {
        const now = performance.now();
        tickMs.push(now - last);
        last = now;
      },
    });
    const res = await sim.run();
    const rss = process.memoryUsage().rss / 2 ** 20;

    // The live load: another 1,000 accounts (another seed) on the same exchange, 1-s blocks.
    const live = await new Simulator(client, producer, deployment, {
      scenario: scenarioByName("calm"),
      seed: 43,
      accounts: opts.accounts,
      pace: "realtime",
      blockTime: 1,
      ticks: opts.realtimeTicks,
    }).run();

    // Baseline: ERC-20 transfers through the same signing/sending path, same anvil.
    const senders = Array.from(
      { length: 20 },
      (_, i) => new TxSigner(client, traderKey(999_999, i)),
    );
    const deployer = new TxSigner(client, ANVIL_KEYS.deployer);
    await deployer.syncNonce();
    for (const s of senders) {
      await client.rpc("anvil_setBalance", [s.address, toHex(parseEther("100"))]);
      await deployer.write(
        deployment.collateralToken,
        mockUSDAbi,
        "mint",
        [s.address, 10n ** 30n],
        200_000n,
      );
    }
    await producer.mine();
    const t0 = performance.now();
    for (let i = 0; i < opts.baselineTransfers; i++) {
      const s = senders[i % senders.length]!;
      await s.write(
        deployment.collateralToken,
        mockUSDAbi,
        "transfer",
        [deployer.address, 1n],
        100_000n,
      );
      if ((i + 1) % 100 === 0) await producer.mine();
    }
    await producer.mine();
    const baselineSeconds = (performance.now() - t0) / 1000;
    const baselineTps = opts.baselineTransfers / baselineSeconds;

    const simTps = res.transactions / res.seconds;
    const sorted = [...tickMs].sort((a, b) => a - b);
    printTable(
      `simulator: crash-cascade, ${opts.accounts} accounts, ${res.ticks} blocks at max pace`,
      [
        [
          "onboarding",
          `${res.setupTransactions} tx in ${res.setupSeconds.toFixed(1)} s`,
          `${(res.setupTransactions / res.setupSeconds).toFixed(0)} tx/s`,
        ],
        [
          "simulation",
          `${res.transactions} tx in ${res.seconds.toFixed(1)} s`,
          `${simTps.toFixed(0)} tx/s`,
        ],
        [
          "real time, 1-s blocks",
          `${live.transactions} tx in ${live.seconds.toFixed(1)} s (${live.ticks} blocks)`,
          `${(live.transactions / live.seconds).toFixed(1)} tx/s`,
        ],
        [
          "blocks",
          `${res.ticks} in ${res.seconds.toFixed(1)} s`,
          `${(res.ticks / res.seconds).toFixed(1)} blocks/s`,
        ],
        [
          "per block",
          `p50 ${percentile(sorted, 0.5).toFixed(0)} ms`,
          `p99 ${percentile(sorted, 0.99).toFixed(0)} ms`,
        ],
        [
          "events",
          `${res.liquidations} liquidations, ${res.adlEvents} ADL`,
          `${res.reverted} reverted`,
        ],
        [
          "baseline",
          `${opts.baselineTransfers} ERC-20 transfers in ${baselineSeconds.toFixed(1)} s`,
          `${baselineTps.toFixed(0)} tx/s`,
        ],
        ["ratio", "simulator / baseline", `${(simTps / baselineTps).toFixed(2)}`],
        ["memory", "RSS after run", `${rss.toFixed(0)} MiB`],
      ],
    );
  } finally {
    await anvil.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run();
}
