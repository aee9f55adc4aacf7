/**
 * Well-known devnet keys. The first four are anvil's default mnemonic accounts (public test
 * keys, never for real funds); trader keys are derived from the simulator seed so the same
 * seed always drives the same addresses, nonces and transaction hashes.
 */
import { encodePacked, type Hex, keccak256 } from "viem";

export const ANVIL_KEYS = {
  deployer: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  oracleKeeper: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  liquidationKeeper: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  adlKeeper: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
} as const satisfies Record<string, Hex>;

/** Private key of simulated trader `index` under `seed`. */
export function traderKey(seed: number, index: number): Hex {
  return keccak256(
    encodePacked(
      ["string", "uint256", "uint256"],
      ["perpwatch-trader", BigInt(seed), BigInt(index)],
    ),
  );
}
