// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice Push oracle: authorised keepers publish one price per market id; the publish time is
/// the block time, so staleness is purely a function of chain time and the mirror can replay it.
contract PriceOracle {
    struct Price {
        uint256 price;
        uint256 publishTime;
    }

    address public owner;
    mapping(address => bool) public isUpdater;
    mapping(uint256 => Price) internal prices;

    event PriceUpdated(uint256 indexed marketId, uint256 price, uint256 publishTime);
    event UpdaterSet(address indexed updater, bool allowed);

    error NotOwner();
    error NotUpdater(address caller);
    error ZeroPrice(uint256 marketId);
    error LengthMismatch();

    constructor() {
        owner = msg.sender;
        isUpdater[msg.sender] = true;
        emit UpdaterSet(msg.sender, true);
    }

    function setUpdater(address updater, bool allowed) external {
        if (msg.sender != owner) revert NotOwner();
        isUpdater[updater] = allowed;
        emit UpdaterSet(updater, allowed);
    }

    function setPrice(uint256 marketId, uint256 price) external {
        if (!isUpdater[msg.sender]) revert NotUpdater(msg.sender);
        _set(marketId, price);
    }

    function setPrices(uint256[] calldata marketIds, uint256[] calldata newPrices) external {
        if (!isUpdater[msg.sender]) revert NotUpdater(msg.sender);
        if (marketIds.length != newPrices.length) revert LengthMismatch();
        for (uint256 i = 0; i < marketIds.length; i++) {
            _set(marketIds[i], newPrices[i]);
        }
    }

    function getPrice(uint256 marketId) external view returns (uint256 price, uint256 publishTime) {
        Price storage p = prices[marketId];
        return (p.price, p.publishTime);
    }

    function _set(uint256 marketId, uint256 price) internal {
        if (price == 0) revert ZeroPrice(marketId);
        prices[marketId] = Price(price, block.timestamp);
        emit PriceUpdated(marketId, price, block.timestamp);
    }
}
