// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {PerpExchange} from "./PerpExchange.sol";

/// @notice Read-only batch views over PerpExchange, so a keeper or the simulator can read the
/// whole book in one eth_call instead of thousands. Holds no state and is never trusted by the
/// exchange.
contract PerpLens {
    PerpExchange public immutable exchange;

    constructor(PerpExchange exchange_) {
        exchange = exchange_;
    }

    /// Health of accounts `fromId .. fromId+count-1` (ids past accountCount are skipped) and
    /// their position sizes, `sizes[i * marketCount + (marketId - 1)]`.
    function snapshot(uint256 fromId, uint256 count)
        external
        view
        returns (
            int256[] memory collateral,
            int256[] memory equity,
            int256[] memory initialMargin,
            int256[] memory maintenanceMargin,
            int256[] memory notional,
            int256[] memory sizes
        )
    {
        uint256 total = exchange.accountCount();
        uint256 n = fromId > total ? 0 : (total - fromId + 1 < count ? total - fromId + 1 : count);
        uint256 marketCount = exchange.marketCount();
        collateral = new int256[](n);
        equity = new int256[](n);
        initialMargin = new int256[](n);
        maintenanceMargin = new int256[](n);
        notional = new int256[](n);
        sizes = new int256[](n * marketCount);
        for (uint256 i = 0; i < n; i++) {
            uint256 id = fromId + i;
            (, int256 c, uint256 mask) = exchange.getAccount(id);
            collateral[i] = c;
            (equity[i], initialMargin[i], maintenanceMargin[i], notional[i]) = exchange.accountHealth(id);
            for (uint256 m = 1; m <= marketCount; m++) {
                if (mask & (uint256(1) << (m - 1)) != 0) {
                    sizes[i * marketCount + m - 1] = exchange.getPosition(id, m).size;
                }
            }
        }
    }

    /// Entry prices (`lastPrice`) of the same accounts' positions, laid out like `sizes`.
    function entryPrices(uint256 fromId, uint256 count) external view returns (int256[] memory prices) {
        uint256 total = exchange.accountCount();
        uint256 n = fromId > total ? 0 : (total - fromId + 1 < count ? total - fromId + 1 : count);
        uint256 marketCount = exchange.marketCount();
        prices = new int256[](n * marketCount);
        for (uint256 i = 0; i < n; i++) {
            (,, uint256 mask) = exchange.getAccount(fromId + i);
            for (uint256 m = 1; m <= marketCount; m++) {
                if (mask & (uint256(1) << (m - 1)) != 0) {
                    prices[i * marketCount + m - 1] = exchange.getPosition(fromId + i, m).lastPrice;
                }
            }
        }
    }

    /// Ids among `fromId .. fromId+count-1` that are liquidatable right now.
    function liquidatable(uint256 fromId, uint256 count) external view returns (uint256[] memory ids) {
        uint256 total = exchange.accountCount();
        uint256[] memory found = new uint256[](count);
        uint256 k = 0;
        for (uint256 id = fromId; id < fromId + count && id <= total; id++) {
            if (exchange.canLiquidate(id)) found[k++] = id;
        }
        ids = new uint256[](k);
        for (uint256 i = 0; i < k; i++) {
            ids[i] = found[i];
        }
    }
}
