// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FixedPoint} from "./FixedPoint.sol";

interface IOracle {
    function getPrice(uint256 marketId) external view returns (uint256 price, uint256 publishTime);
}

interface IERC20 {
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
}

/// @title PerpExchange: the reference cross-margin perpetual exchange of Perpwatch.
/// @notice Implements REFERENCE-MODEL.md and nothing else: Synthetix-style velocity funding,
/// size-scaled margins, a keeper/penalty/insurance-fund liquidation waterfall and ADL.
/// Every state change emits its post-state so an indexer can check an off-chain mirror at
/// every log. All arithmetic is int256 D18; the only rounding is Solidity's truncating
/// division inside FixedPoint.mulD/divD, in the order written here, which the TypeScript
/// mirror (engine/exact) repeats operation for operation.
/// Accounts iterate their open markets in ascending market id (a bitmap), so sums and the
/// bad-debt split have one well-defined order.
contract PerpExchange {
    using FixedPoint for int256;

    int256 internal constant ONE = 1e18;
    int256 internal constant SECONDS_PER_DAY = 86400;
    /// Upper bound on any market parameter: keeps every int256 product far from overflow.
    uint256 public constant MAX_PARAM = 1e30;
    uint256 public constant MAX_MARKETS = 256;

    enum PositionChange {
        Trade,
        Liquidation,
        Adl
    }

    enum InsuranceReason {
        Fee,
        Penalty,
        BadDebtCover,
        Deposit
    }

    struct MarketParams {
        uint256 skewScale;
        uint256 maxFundingVelocity;
        uint256 imrScalar;
        uint256 imrMin;
        uint256 mmScalar;
        uint256 minPositionMargin;
        uint256 takerFee;
        uint256 keeperRewardRatio;
        uint256 maxKeeperReward;
        uint256 liquidationPenaltyRatio;
        uint256 maxOpenInterest;
    }

    struct MarketState {
        int256 skew;
        uint256 sizeLong;
        uint256 sizeShort;
        int256 lastFundingRate;
        int256 lastFundingIndex;
        uint256 lastFundingTime;
        uint256 badDebt;
    }

    struct Market {
        string symbol;
        MarketParams params;
        MarketState state;
    }

    struct Position {
        int256 size;
        int256 lastPrice;
        int256 lastFundingIndex;
    }

    struct Account {
        address owner;
        int256 collateral;
        uint256 openMarkets;
    }

    /// Bad debt a bankrupt account left on one side of one market, waiting for ADL: the size
    /// that was closed (signed, the bankrupt side) and the loss still to be absorbed. One
    /// record per (account, market, side), so bankruptcies on opposite sides never net.
    struct AdlRecord {
        int256 size;
        uint256 debt;
    }

    struct Health {
        int256 equity;
        int256 initialMargin;
        int256 maintenanceMargin;
        int256 notional;
    }

    address public owner;
    IERC20 public immutable collateralToken;
    IOracle public immutable oracle;
    uint256 public maxPriceAge;
    uint256 public insuranceFund;
    uint256 public marketCount;
    uint256 public accountCount;

    mapping(uint256 => Market) internal markets;
    mapping(uint256 => Account) internal accounts;
    mapping(uint256 => mapping(uint256 => Position)) internal positions;
    /// accountId => marketId => isLong (the bankrupt side) => record.
    mapping(uint256 => mapping(uint256 => mapping(bool => AdlRecord))) internal adlRecords;

    event AccountCreated(uint256 indexed accountId, address indexed owner);
    event MarketCreated(uint256 indexed marketId, string symbol);
    event MarketParamsSet(
        uint256 indexed marketId,
        uint256 skewScale,
        uint256 maxFundingVelocity,
        uint256 imrScalar,
        uint256 imrMin,
        uint256 mmScalar,
        uint256 minPositionMargin,
        uint256 takerFee,
        uint256 keeperRewardRatio,
        uint256 maxKeeperReward,
        uint256 liquidationPenaltyRatio,
        uint256 maxOpenInterest
    );
    event MaxPriceAgeSet(uint256 maxPriceAge);
    event CollateralModified(uint256 indexed accountId, int256 amountDelta, int256 newCollateral, address indexed sender);
    event FundingUpdated(
        uint256 indexed marketId,
        uint256 price,
        int256 skew,
        int256 fundingRate,
        int256 fundingVelocity,
        int256 fundingIndex,
        uint256 timestamp
    );
    event PositionModified(
        uint256 indexed accountId,
        uint256 indexed marketId,
        PositionChange kind,
        int256 sizeDelta,
        int256 newSize,
        int256 fillPrice,
        int256 realizedPnl,
        int256 realizedFunding,
        int256 fee,
        int256 newCollateral
    );
    event AccountLiquidated(
        uint256 indexed accountId,
        address indexed liquidator,
        int256 equity,
        int256 maintenanceMargin,
        int256 notional,
        int256 keeperReward,
        int256 penaltyToInsurance,
        int256 insuranceCovered,
        int256 badDebt
    );
    event BadDebtRecorded(
        uint256 indexed accountId,
        uint256 indexed marketId,
        int256 recordSize,
        uint256 recordDebt,
        uint256 marketBadDebt,
        bool isLong
    );
    event InsuranceFundUpdated(int256 delta, uint256 newBalance, InsuranceReason reason);
    event PositionAutoDeleveraged(
        uint256 indexed bankruptAccountId,
        uint256 indexed counterpartyAccountId,
        uint256 indexed marketId,
        int256 sizeDelta,
        int256 bankruptcyPrice,
        int256 lossAbsorbed,
        bool isLong
    );

    error NotOwner();
    error AccountNotFound(uint256 accountId);
    error NotAccountOwner(uint256 accountId, address caller);
    error MarketNotFound(uint256 marketId);
    error TooManyMarkets();
    error InvalidMarketParams(uint8 field);
    error ZeroAmount();
    error AmountTooLarge(uint256 amount);
    error ZeroSizeDelta();
    error NoPrice(uint256 marketId);
    error StalePrice(uint256 marketId, uint256 publishTime);
    error InvalidFillPrice(int256 fillPrice);
    error MaxOpenInterestExceeded(uint256 marketId, uint256 sizeLong, uint256 sizeShort);
    error InsufficientMargin(int256 equity, int256 initialMargin);
    error InsufficientCollateral(int256 collateral, int256 amount);
    error NotLiquidatable(int256 equity, int256 maintenanceMargin);
    error NoPendingBadDebt(uint256 accountId, uint256 marketId, bool isLong);
    error NotOppositeSide(uint256 accountId);
    error NotInProfit(uint256 accountId, int256 pnl);
    error TransferFailed();

    constructor(address collateralToken_, address oracle_, uint256 maxPriceAge_) {
        owner = msg.sender;
        collateralToken = IERC20(collateralToken_);
        oracle = IOracle(oracle_);
        maxPriceAge = maxPriceAge_;
        emit MaxPriceAgeSet(maxPriceAge_);
    }

    // ------------------------------------------------------------------ administration

    function createMarket(string calldata symbol, MarketParams calldata params) external returns (uint256 marketId) {
        if (msg.sender != owner) revert NotOwner();
        if (marketCount >= MAX_MARKETS) revert TooManyMarkets();
        _validateParams(params);
        marketId = ++marketCount;
        Market storage m = markets[marketId];
        m.symbol = symbol;
        m.params = params;
        m.state.lastFundingTime = block.timestamp;
        emit MarketCreated(marketId, symbol);
        _emitParams(marketId, params);
        _emitFunding(marketId, _oraclePrice(marketId));
    }

    /// Parameter changes checkpoint funding first, so the old velocity applies up to now.
    function setMarketParams(uint256 marketId, MarketParams calldata params) external {
        if (msg.sender != owner) revert NotOwner();
        _market(marketId);
        _validateParams(params);
        uint256 price = _oraclePrice(marketId);
        _checkpoint(marketId, price);
        markets[marketId].params = params;
        _emitParams(marketId, params);
        _emitFunding(marketId, price);
    }

    function setMaxPriceAge(uint256 maxPriceAge_) external {
        if (msg.sender != owner) revert NotOwner();
        maxPriceAge = maxPriceAge_;
        emit MaxPriceAgeSet(maxPriceAge_);
    }

    function depositInsuranceFund(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        if (amount > MAX_PARAM) revert AmountTooLarge(amount);
        _pull(msg.sender, amount);
        insuranceFund += amount;
        emit InsuranceFundUpdated(int256(amount), insuranceFund, InsuranceReason.Deposit);
    }

    // ------------------------------------------------------------------ accounts

    function createAccount() external returns (uint256 accountId) {
        accountId = ++accountCount;
        accounts[accountId].owner = msg.sender;
        emit AccountCreated(accountId, msg.sender);
    }

    /// Positive `amountDelta` deposits, negative withdraws. A withdrawal may not exceed the
    /// collateral and needs `equity - amount >= initial margin` at fresh prices.
    function modifyCollateral(uint256 accountId, int256 amountDelta) external {
        Account storage a = _ownedAccount(accountId);
        if (amountDelta == 0) revert ZeroAmount();
        if (amountDelta > 0) {
            if (uint256(amountDelta) > MAX_PARAM) revert AmountTooLarge(uint256(amountDelta));
            _pull(msg.sender, uint256(amountDelta));
            a.collateral += amountDelta;
        } else {
            int256 amount = -amountDelta;
            if (amount > a.collateral) revert InsufficientCollateral(a.collateral, amount);
            a.collateral -= amount;
            if (a.openMarkets != 0) {
                Health memory h = _health(accountId, true);
                if (h.equity < h.initialMargin) revert InsufficientMargin(h.equity, h.initialMargin);
            }
            if (!collateralToken.transfer(msg.sender, uint256(amount))) revert TransferFailed();
        }
        emit CollateralModified(accountId, amountDelta, a.collateral, msg.sender);
    }

    // ------------------------------------------------------------------ trading

    /// Trades `sizeDelta` at the skew-premium fill price. The position's PnL and funding are
    /// realized into collateral and its entry reset to the fill price. Accepted when equity
    /// (fee already paid, every open market's price fresh) covers initial margin, or — for a
    /// trade that only reduces the position — when it is not negative: an underwater account
    /// cannot close itself and must be liquidated, so its loss goes through the waterfall.
    function modifyPosition(uint256 accountId, uint256 marketId, int256 sizeDelta) external {
        Account storage a = _ownedAccount(accountId);
        if (sizeDelta == 0) revert ZeroSizeDelta();
        Market storage m = _market(marketId);
        uint256 price = _freshPrice(marketId);
        _checkpoint(marketId, price);

        Position storage p = positions[accountId][marketId];
        int256 oldSize = p.size;
        int256 fill = _fillPrice(m.state.skew, m.params.skewScale, price, sizeDelta);
        int256 fee = sizeDelta.abs().mulD(fill).mulD(int256(m.params.takerFee));
        int256 realizedPnl = oldSize.mulD(fill - p.lastPrice);
        int256 realizedFunding = oldSize.mulD(m.state.lastFundingIndex - p.lastFundingIndex);
        int256 newSize = oldSize + sizeDelta;

        _moveOpenInterest(marketId, oldSize, newSize, true);

        a.collateral += realizedPnl + realizedFunding - fee;
        _setPosition(accountId, marketId, newSize, fill, m.state.lastFundingIndex);

        bool reducing = newSize == 0 || (oldSize > 0 && newSize > 0 && newSize < oldSize)
            || (oldSize < 0 && newSize < 0 && newSize > oldSize);
        {
            Health memory h = _health(accountId, true);
            int256 required = reducing ? int256(0) : h.initialMargin;
            if (h.equity < required) revert InsufficientMargin(h.equity, required);
        }

        emit PositionModified(
            accountId,
            marketId,
            PositionChange.Trade,
            sizeDelta,
            newSize,
            fill,
            realizedPnl,
            realizedFunding,
            fee,
            a.collateral
        );
        if (fee > 0) {
            insuranceFund += uint256(fee);
            emit InsuranceFundUpdated(fee, insuranceFund, InsuranceReason.Fee);
        }
        _emitFunding(marketId, price);
    }

    // ------------------------------------------------------------------ liquidation

    /// Closes the whole account at oracle prices when `MM > 0 && equity < MM`. Waterfall:
    /// keeper reward (from equity, then the fund), penalty to the fund, the fund covers a
    /// shortfall, what it cannot cover is bad debt split across markets by MM, left for ADL.
    function liquidate(uint256 accountId) external {
        Account storage a = _account(accountId);
        uint256 mask = a.openMarkets;
        if (mask == 0) revert NotLiquidatable(a.collateral, 0);
        for (uint256 id = 1; id <= marketCount; id++) {
            if (mask & (uint256(1) << (id - 1)) != 0) _checkpoint(id, _freshPrice(id));
        }
        Health memory h = _health(accountId, false);
        if (!(h.maintenanceMargin > 0 && h.equity < h.maintenanceMargin)) {
            revert NotLiquidatable(h.equity, h.maintenanceMargin);
        }

        int256 keeper = 0;
        int256 penaltyCap = 0;
        for (uint256 id = 1; id <= marketCount; id++) {
            if (mask & (uint256(1) << (id - 1)) == 0) continue;
            Market storage m = markets[id];
            int256 n = positions[accountId][id].size.abs().mulD(int256(_oraclePrice(id)));
            keeper += n.mulD(int256(m.params.keeperRewardRatio)).min(int256(m.params.maxKeeperReward));
            penaltyCap += n.mulD(int256(m.params.liquidationPenaltyRatio));
        }

        // Close every position at the oracle price; after this, collateral == h.equity.
        int256[] memory closedSize = new int256[](marketCount + 1);
        for (uint256 id = 1; id <= marketCount; id++) {
            if (mask & (uint256(1) << (id - 1)) == 0) continue;
            closedSize[id] = _closeAtOracle(accountId, id);
        }

        int256 rest = h.equity - keeper;
        int256 penalty = 0;
        int256 covered = 0;
        int256 badDebt = 0;
        if (rest >= 0) {
            penalty = rest.min(penaltyCap);
            a.collateral = rest - penalty;
            insuranceFund += uint256(penalty);
        } else {
            covered = (-rest).min(int256(insuranceFund));
            badDebt = -rest - covered;
            insuranceFund -= uint256(covered);
            a.collateral = 0;
        }
        if (keeper > 0 && !collateralToken.transfer(msg.sender, uint256(keeper))) revert TransferFailed();

        emit AccountLiquidated(
            accountId, msg.sender, h.equity, h.maintenanceMargin, h.notional, keeper, penalty, covered, badDebt
        );
        if (penalty > 0) emit InsuranceFundUpdated(penalty, insuranceFund, InsuranceReason.Penalty);
        if (covered > 0) emit InsuranceFundUpdated(-covered, insuranceFund, InsuranceReason.BadDebtCover);
        if (badDebt > 0) _recordBadDebt(accountId, mask, closedSize, uint256(badDebt), h.maintenanceMargin);
        for (uint256 id = 1; id <= marketCount; id++) {
            if (mask & (uint256(1) << (id - 1)) != 0) _emitFunding(id, _oraclePrice(id));
        }
    }

    /// Absorbs the bad debt a bankrupt account left on side `isLong` of one market by closing
    /// profitable opposite-side positions at the bankruptcy price, in the order named. Each
    /// counterparty's position is realized at the oracle price and then charged its share of
    /// the debt (closing at the bankruptcy price, booked without rounding dust) — but never
    /// more than its profit: one whose profit falls short pays all of it, closes only the size
    /// that profit pays for, and the rest of the debt waits for the next counterparty.
    function autoDeleverage(
        uint256 bankruptAccountId,
        uint256 marketId,
        bool isLong,
        uint256[] calldata counterparties
    ) external {
        _market(marketId);
        AdlRecord storage r = adlRecords[bankruptAccountId][marketId][isLong];
        if (r.debt == 0 && r.size == 0) revert NoPendingBadDebt(bankruptAccountId, marketId, isLong);
        uint256 price = _freshPrice(marketId);
        _checkpoint(marketId, price);
        for (uint256 i = 0; i < counterparties.length && r.size != 0; i++) {
            _deleverageOne(bankruptAccountId, marketId, isLong, counterparties[i], price);
        }
        emit BadDebtRecorded(bankruptAccountId, marketId, r.size, r.debt, markets[marketId].state.badDebt, isLong);
        _emitFunding(marketId, price);
    }

    // ------------------------------------------------------------------ views

    function getAccount(uint256 accountId)
        external
        view
        returns (address accountOwner, int256 collateral, uint256 openMarkets)
    {
        Account storage a = accounts[accountId];
        return (a.owner, a.collateral, a.openMarkets);
    }

    function getPosition(uint256 accountId, uint256 marketId) external view returns (Position memory) {
        return positions[accountId][marketId];
    }

    function getMarket(uint256 marketId) external view returns (Market memory) {
        return markets[marketId];
    }

    function getAdlRecord(uint256 accountId, uint256 marketId, bool isLong) external view returns (AdlRecord memory) {
        return adlRecords[accountId][marketId][isLong];
    }

    /// Health at the current block time and the latest oracle prices (stale or not).
    function accountHealth(uint256 accountId)
        external
        view
        returns (int256 equity, int256 initialMargin, int256 maintenanceMargin, int256 notional)
    {
        Health memory h = _health(accountId, false);
        return (h.equity, h.initialMargin, h.maintenanceMargin, h.notional);
    }

    function canLiquidate(uint256 accountId) external view returns (bool) {
        Health memory h = _health(accountId, false);
        return h.maintenanceMargin > 0 && h.equity < h.maintenanceMargin;
    }

    /// Funding index as of the current block time, without checkpointing.
    function fundingIndex(uint256 marketId) external view returns (int256) {
        (, int256 index) = _fundingNow(marketId, _oraclePrice(marketId));
        return index;
    }

    /// Funding rate (per day, D18) as of the current block time.
    function currentFundingRate(uint256 marketId) external view returns (int256) {
        (int256 rate,) = _fundingNow(marketId, _oraclePrice(marketId));
        return rate;
    }

    function fundingVelocity(uint256 marketId) external view returns (int256) {
        Market storage m = markets[marketId];
        return _velocity(m.state.skew, m.params);
    }

    function fillPrice(uint256 marketId, int256 sizeDelta) external view returns (int256) {
        Market storage m = _market(marketId);
        return _fillPrice(m.state.skew, m.params.skewScale, _oraclePrice(marketId), sizeDelta);
    }

    // ------------------------------------------------------------------ internals: funding

    function _velocity(int256 skew, MarketParams storage p) internal view returns (int256) {
        int256 pd = skew.divD(int256(p.skewScale));
        if (pd > ONE) pd = ONE;
        if (pd < -ONE) pd = -ONE;
        return pd.mulD(int256(p.maxFundingVelocity));
    }

    function _fundingNow(uint256 marketId, uint256 price) internal view returns (int256 rate, int256 index) {
        Market storage m = markets[marketId];
        int256 velocity = _velocity(m.state.skew, m.params);
        int256 elapsed = int256(block.timestamp - m.state.lastFundingTime).divD(SECONDS_PER_DAY);
        rate = m.state.lastFundingRate + velocity.mulD(elapsed);
        int256 unrecorded = (-(m.state.lastFundingRate + rate).divD(2 * ONE)).mulD(elapsed).mulD(int256(price));
        index = m.state.lastFundingIndex + unrecorded;
    }

    function _checkpoint(uint256 marketId, uint256 price) internal {
        (int256 rate, int256 index) = _fundingNow(marketId, price);
        MarketState storage s = markets[marketId].state;
        s.lastFundingRate = rate;
        s.lastFundingIndex = index;
        s.lastFundingTime = block.timestamp;
    }

    function _emitFunding(uint256 marketId, uint256 price) internal {
        Market storage m = markets[marketId];
        emit FundingUpdated(
            marketId,
            price,
            m.state.skew,
            m.state.lastFundingRate,
            _velocity(m.state.skew, m.params),
            m.state.lastFundingIndex,
            m.state.lastFundingTime
        );
    }

    // ------------------------------------------------------------------ internals: margin

    function _fillPrice(int256 skew, uint256 skewScale, uint256 price, int256 sizeDelta)
        internal
        pure
        returns (int256 fill)
    {
        int256 p = int256(price);
        int256 before = p.mulD(ONE + skew.divD(int256(skewScale)));
        int256 afterTrade = p.mulD(ONE + (skew + sizeDelta).divD(int256(skewScale)));
        fill = (before + afterTrade) / 2;
        if (fill <= 0) revert InvalidFillPrice(fill);
    }

    /// Equity and margins at the oracle prices and funding as of now; `requireFresh` makes
    /// every open market's price pass the staleness check (trades and withdrawals).
    function _health(uint256 accountId, bool requireFresh) internal view returns (Health memory h) {
        Account storage a = accounts[accountId];
        h.equity = a.collateral;
        uint256 mask = a.openMarkets;
        for (uint256 id = 1; id <= marketCount && mask != 0; id++) {
            if (mask & (uint256(1) << (id - 1)) == 0) continue;
            uint256 price = requireFresh ? _freshPrice(id) : _oraclePrice(id);
            (, int256 index) = _fundingNow(id, price);
            Position storage p = positions[accountId][id];
            MarketParams storage mp = markets[id].params;
            int256 px = int256(price);
            h.equity += p.size.mulD(px - p.lastPrice) + p.size.mulD(index - p.lastFundingIndex);
            int256 absSize = p.size.abs();
            int256 n = absSize.mulD(px);
            int256 imr = int256(mp.imrMin) + absSize.divD(int256(mp.skewScale)).mulD(int256(mp.imrScalar));
            h.initialMargin += n.mulD(imr) + int256(mp.minPositionMargin);
            h.maintenanceMargin += n.mulD(imr.mulD(int256(mp.mmScalar))) + int256(mp.minPositionMargin);
            h.notional += n;
        }
    }

    function _maintenanceMarginOf(uint256 marketId, int256 size, uint256 price) internal view returns (int256) {
        MarketParams storage mp = markets[marketId].params;
        int256 absSize = size.abs();
        int256 n = absSize.mulD(int256(price));
        int256 imr = int256(mp.imrMin) + absSize.divD(int256(mp.skewScale)).mulD(int256(mp.imrScalar));
        return n.mulD(imr.mulD(int256(mp.mmScalar))) + int256(mp.minPositionMargin);
    }

    // ------------------------------------------------------------------ internals: positions

    function _setPosition(uint256 accountId, uint256 marketId, int256 size, int256 lastPrice, int256 index) internal {
        Account storage a = accounts[accountId];
        if (size == 0) {
            delete positions[accountId][marketId];
            a.openMarkets &= ~(uint256(1) << (marketId - 1));
        } else {
            positions[accountId][marketId] = Position(size, lastPrice, index);
            a.openMarkets |= uint256(1) << (marketId - 1);
        }
    }

    /// Moves the market's skew and long/short open interest from `oldSize` to `newSize`;
    /// for trades, a side that grows past maxOpenInterest reverts.
    function _moveOpenInterest(uint256 marketId, int256 oldSize, int256 newSize, bool enforceCap) internal {
        Market storage m = markets[marketId];
        uint256 newLong = m.state.sizeLong - uint256(oldSize.max(0)) + uint256(newSize.max(0));
        uint256 newShort = m.state.sizeShort - uint256((-oldSize).max(0)) + uint256((-newSize).max(0));
        if (
            enforceCap
                && (
                    (newLong > m.state.sizeLong && newLong > m.params.maxOpenInterest)
                        || (newShort > m.state.sizeShort && newShort > m.params.maxOpenInterest)
                )
        ) revert MaxOpenInterestExceeded(marketId, newLong, newShort);
        m.state.sizeLong = newLong;
        m.state.sizeShort = newShort;
        m.state.skew += newSize - oldSize;
    }

    function _closeAtOracle(uint256 accountId, uint256 marketId) internal returns (int256 size) {
        Position storage p = positions[accountId][marketId];
        size = p.size;
        int256 px = int256(_oraclePrice(marketId));
        int256 index = markets[marketId].state.lastFundingIndex;
        int256 realizedPnl = size.mulD(px - p.lastPrice);
        int256 realizedFunding = size.mulD(index - p.lastFundingIndex);
        Account storage a = accounts[accountId];
        a.collateral += realizedPnl + realizedFunding;
        _moveOpenInterest(marketId, size, 0, false);
        _setPosition(accountId, marketId, 0, 0, 0);
        emit PositionModified(
            accountId,
            marketId,
            PositionChange.Liquidation,
            -size,
            0,
            px,
            realizedPnl,
            realizedFunding,
            0,
            a.collateral
        );
    }

    /// Splits bad debt across the account's markets in proportion to their maintenance
    /// margin; the last market takes the remainder so the shares sum exactly. Each share goes
    /// to the record of the side that was closed, so it never nets against the other side.
    function _recordBadDebt(
        uint256 accountId,
        uint256 mask,
        int256[] memory closedSize,
        uint256 badDebt,
        int256 totalMm
    ) internal {
        uint256 assigned = 0;
        uint256 remaining = mask;
        for (uint256 id = 1; id <= marketCount; id++) {
            uint256 bit = uint256(1) << (id - 1);
            if (mask & bit == 0) continue;
            remaining &= ~bit;
            uint256 share;
            if (remaining == 0) {
                share = badDebt - assigned;
            } else {
                int256 mm = _maintenanceMarginOf(id, closedSize[id], _oraclePrice(id));
                share = (badDebt * uint256(mm)) / uint256(totalMm);
            }
            assigned += share;
            bool isLong = closedSize[id] > 0;
            AdlRecord storage r = adlRecords[accountId][id][isLong];
            r.size += closedSize[id];
            r.debt += share;
            markets[id].state.badDebt += share;
            emit BadDebtRecorded(accountId, id, r.size, r.debt, markets[id].state.badDebt, isLong);
        }
    }

    /// One counterparty: `q = min(|size|, |recordSize|)` is charged `debt·q/|recordSize|` (the
    /// whole debt for the last slice); when its profit is smaller it is charged its profit and
    /// closes `profit·|recordSize|/debt` instead, so the debt per unit of size left on the
    /// record (the bankruptcy price) stays as it was and the record keeps a size to close.
    function _deleverageOne(uint256 bankruptAccountId, uint256 marketId, bool isLong, uint256 cpId, uint256 price)
        internal
    {
        Account storage c = _account(cpId);
        AdlRecord storage r = adlRecords[bankruptAccountId][marketId][isLong];
        Position storage p = positions[cpId][marketId];
        int256 size = p.size;
        if (size == 0 || (size > 0) == isLong) revert NotOppositeSide(cpId);
        int256 px = int256(price);
        int256 index = markets[marketId].state.lastFundingIndex;
        int256 pricePnl = size.mulD(px - p.lastPrice);
        int256 realizedFunding = size.mulD(index - p.lastFundingIndex);
        if (pricePnl + realizedFunding <= 0) revert NotInProfit(cpId, pricePnl + realizedFunding);

        int256 recordAbs = r.size.abs();
        int256 q = size.abs().min(recordAbs);
        int256 loss = q == recordAbs ? int256(r.debt) : (int256(r.debt) * q) / recordAbs;
        if (loss > pricePnl + realizedFunding) {
            loss = pricePnl + realizedFunding;
            q = (loss * recordAbs) / int256(r.debt);
        }
        int256 bankruptcyPrice = px + int256(r.debt).divD(r.size);
        int256 sizeDelta = size > 0 ? -q : q;
        int256 newSize = size + sizeDelta;

        c.collateral += pricePnl + realizedFunding - loss;
        _moveOpenInterest(marketId, size, newSize, false);
        _setPosition(cpId, marketId, newSize, px, index);
        r.size += r.size > 0 ? -q : q;
        r.debt -= uint256(loss);
        markets[marketId].state.badDebt -= uint256(loss);

        emit PositionModified(
            cpId,
            marketId,
            PositionChange.Adl,
            sizeDelta,
            newSize,
            bankruptcyPrice,
            pricePnl - loss,
            realizedFunding,
            0,
            c.collateral
        );
        emit PositionAutoDeleveraged(bankruptAccountId, cpId, marketId, sizeDelta, bankruptcyPrice, loss, isLong);
    }

    // ------------------------------------------------------------------ internals: lookups

    function _account(uint256 accountId) internal view returns (Account storage a) {
        a = accounts[accountId];
        if (a.owner == address(0)) revert AccountNotFound(accountId);
    }

    function _ownedAccount(uint256 accountId) internal view returns (Account storage a) {
        a = _account(accountId);
        if (a.owner != msg.sender) revert NotAccountOwner(accountId, msg.sender);
    }

    function _market(uint256 marketId) internal view returns (Market storage) {
        if (marketId == 0 || marketId > marketCount) revert MarketNotFound(marketId);
        return markets[marketId];
    }

    function _oraclePrice(uint256 marketId) internal view returns (uint256 price) {
        (price,) = oracle.getPrice(marketId);
    }

    function _freshPrice(uint256 marketId) internal view returns (uint256) {
        (uint256 price, uint256 publishTime) = oracle.getPrice(marketId);
        if (price == 0) revert NoPrice(marketId);
        if (block.timestamp - publishTime > maxPriceAge) revert StalePrice(marketId, publishTime);
        return price;
    }

    function _pull(address from, uint256 amount) internal {
        if (!collateralToken.transferFrom(from, address(this), amount)) revert TransferFailed();
    }

    function _validateParams(MarketParams calldata p) internal pure {
        if (p.skewScale == 0 || p.skewScale > MAX_PARAM) revert InvalidMarketParams(0);
        if (p.maxFundingVelocity > MAX_PARAM) revert InvalidMarketParams(1);
        if (p.imrScalar > MAX_PARAM) revert InvalidMarketParams(2);
        if (p.imrMin > uint256(ONE)) revert InvalidMarketParams(3);
        if (p.mmScalar == 0 || p.mmScalar > uint256(ONE)) revert InvalidMarketParams(4);
        if (p.minPositionMargin > MAX_PARAM) revert InvalidMarketParams(5);
        if (p.takerFee > uint256(ONE) / 10) revert InvalidMarketParams(6);
        if (p.keeperRewardRatio > uint256(ONE)) revert InvalidMarketParams(7);
        if (p.maxKeeperReward > MAX_PARAM) revert InvalidMarketParams(8);
        if (p.liquidationPenaltyRatio > uint256(ONE)) revert InvalidMarketParams(9);
        if (p.maxOpenInterest == 0 || p.maxOpenInterest > MAX_PARAM) revert InvalidMarketParams(10);
    }

    function _emitParams(uint256 marketId, MarketParams calldata p) internal {
        emit MarketParamsSet(
            marketId,
            p.skewScale,
            p.maxFundingVelocity,
            p.imrScalar,
            p.imrMin,
            p.mmScalar,
            p.minPositionMargin,
            p.takerFee,
            p.keeperRewardRatio,
            p.maxKeeperReward,
            p.liquidationPenaltyRatio,
            p.maxOpenInterest
        );
    }
}
