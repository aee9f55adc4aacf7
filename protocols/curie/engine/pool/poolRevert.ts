/**
 * A revert the pool's Solidity would raise, with the same reason string ('OLD', 'SPL', 'LS', ...),
 * so callers (the clearing-house engine predicting reverts, tests) can match on `reason`.
 */
export class PoolRevert extends Error {
  constructor(
    readonly reason: string,
    detail: string,
  ) {
    super(`UniswapV3Pool reverts '${reason}': ${detail}`);
    this.name = "PoolRevert";
  }
}
