/**
 * A valid deployment manifest (anvil's usual addresses, one market, chain 31337): for the
 * unit tests that write, read or load a manifest without deploying anything.
 */
import type { Manifest } from "./manifest.js";

export const SAMPLE_MANIFEST: Manifest = {
  version: 1,
  chainId: 31337,
  rpcUrl: "http://127.0.0.1:8545",
  startBlock: 1,
  genesisTimestamp: 0,
  contracts: {
    exchange: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
    oracle: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    collateralToken: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    lens: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
  },
  markets: [{ marketId: 1, symbol: "BTC" }],
  maxPriceAge: 60,
  deployedAt: "2026-01-01T00:00:00.000Z",
};
