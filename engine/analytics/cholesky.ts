/**
 * Cholesky factor of a correlation matrix: the lower-triangular L with L·Lᵀ = C.
 *
 * Why: correlated Monte-Carlo returns are L·ε for independent normals ε, and a matrix that is
 * not positive definite (a typo in a hand-written correlation table, say) must stop the run
 * with a message that says so instead of producing NaN paths.
 */

/** `matrix` is n×n, row-major. Returns L row-major (upper triangle zero). */
export function cholesky(matrix: ArrayLike<number>, n: number): Float64Array {
  if (matrix.length !== n * n) {
    throw new RangeError(`cholesky: expected ${n * n} entries for ${n}×${n}, got ${matrix.length}`);
  }
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(sum > 0)) {
          throw new RangeError(
            `cholesky: the matrix is not positive definite (pivot ${i} is ${sum})`,
          );
        }
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / l[j * n + j]!;
      }
    }
  }
  return l;
}
