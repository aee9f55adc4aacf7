// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice A Chainlink AggregatorV3Interface-compatible price source for the devnet: the owner
/// pushes rounds, and `ChainlinkPriceFeedV3` (perp-oracle-contract) reads them exactly as it
/// reads a real Chainlink aggregator. Each `pushAnswer` is a new round, which is what lets the
/// feed's `update()` pass (it reverts `CPF_NU` when the round has not changed).
contract MockAggregatorV3 {
    struct Round {
        int256 answer;
        uint256 startedAt;
        uint256 updatedAt;
    }

    uint8 public immutable decimals;
    string public description;
    uint256 public constant version = 4;
    address public immutable owner;
    uint80 public latestRound;
    mapping(uint80 => Round) internal _rounds;

    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    error NotOwner();
    error NoData();

    constructor(uint8 decimals_, string memory description_) {
        decimals = decimals_;
        description = description_;
        owner = msg.sender;
    }

    /// @notice Starts a new round with `answer`, stamped with this block's timestamp.
    function pushAnswer(int256 answer) external {
        if (msg.sender != owner) revert NotOwner();
        uint80 id = latestRound + 1;
        latestRound = id;
        _rounds[id] = Round(answer, block.timestamp, block.timestamp);
        emit AnswerUpdated(answer, id, block.timestamp);
    }

    function getRoundData(uint80 roundId)
        public
        view
        returns (uint80, int256, uint256, uint256, uint80)
    {
        Round memory r = _rounds[roundId];
        if (r.updatedAt == 0) revert NoData();
        return (roundId, r.answer, r.startedAt, r.updatedAt, roundId);
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        return getRoundData(latestRound);
    }
}
