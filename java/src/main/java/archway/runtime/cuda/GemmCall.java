package archway.runtime.cuda;

/**
 * One cublasSgemm call, column-major as cuBLAS sees it: C[m, n] = alpha op(A)[m, k] op(B)[k, n] + beta C,
 * with leading dimensions. The engine's tensors are row-major, and a row-major [r, c] matrix is the
 * column-major [c, r] one, so each linear pass maps to one call without copies; the factories below
 * say which. {@code beta} is 1 when the pass accumulates into its output.
 */
public record GemmCall(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc, float beta) {
    /** y[batch, out] = x[batch, in] w[out, in]^T: C = y^T[out, batch] = op_T(w) [out, in] x^T [in, batch]. */
    public static GemmCall linearForward(int batch, int in, int out) {
        return new GemmCall(true, false, out, batch, in, in, in, out, 0f);
    }

    /** dx[batch, in] (+)= dy[batch, out] w[out, in]: C = dx^T [in, batch] = w^T [in, out] dy^T [out, batch]. */
    public static GemmCall linearBackwardData(int batch, int in, int out, boolean accumulate) {
        return new GemmCall(false, false, in, batch, out, in, out, in, accumulate ? 1f : 0f);
    }

    /** dw[out, in] (+)= dy^T x: C = dw^T [in, out] = x^T [in, batch] op_T(dy^T) [batch, out]. */
    public static GemmCall linearBackwardFilter(int batch, int in, int out, boolean accumulate) {
        return new GemmCall(false, true, in, out, batch, in, out, in, accumulate ? 1f : 0f);
    }
}
