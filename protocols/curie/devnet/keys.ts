/**
 * Keys of the Curie simulator's own actors (makers, the arbitrage bot), derived from the seed
 * like devnet/keys.ts derives the traders': the same seed, the same addresses and hashes.
 * Oracle rounds are the deployer's (it owns the aggregators); liquidations are the anvil
 * liquidation keeper's.
 */
import { encodePacked, type Hex, keccak256 } from "viem";

export type CurieActor = "maker" | "arbitrageur";

export function curieActorKey(actor: CurieActor, seed: number, index: number): Hex {
  return keccak256(
    encodePacked(
      ["string", "uint256", "uint256"],
      [`perpwatch-curie-${actor}`, BigInt(seed), BigInt(index)],
    ),
  );
}
