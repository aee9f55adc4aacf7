// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice 18-decimal fixed-point helpers. Every division truncates toward zero, which is
/// exactly what the TypeScript mirror's bigint division does; no other rounding exists.
library FixedPoint {
    int256 internal constant ONE = 1e18;

    function mulD(int256 a, int256 b) internal pure returns (int256) {
        return (a * b) / ONE;
    }

    function divD(int256 a, int256 b) internal pure returns (int256) {
        return (a * ONE) / b;
    }

    function abs(int256 a) internal pure returns (int256) {
        return a < 0 ? -a : a;
    }

    function min(int256 a, int256 b) internal pure returns (int256) {
        return a < b ? a : b;
    }

    function max(int256 a, int256 b) internal pure returns (int256) {
        return a > b ? a : b;
    }
}
