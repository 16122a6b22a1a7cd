package archway.search;

import archway.nn.NetworkBuilder;
import archway.spaces.nb201.Nb201Network;
import archway.spaces.nb201.SizeVariableArch;
import archway.spaces.nb201.SizeVariableNb201Network;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * ZO-DARTS++ on the size-variable NB201 space. theta = [alpha (18 x 5) | beta (18 x 3) | gamma (3 x N)]:
 * alpha per stage and edge (the cells of a stage share it, which is what the factor n of the expected-size
 * formula assumes), beta over conv_kv's kernels 7/5/3 per stage and edge, gamma over how many cells each
 * stage keeps; every block goes through sparsemax(x / T). Before {@link #expand} theta is alpha only, the
 * kernel is 7x7 and every stage keeps all N cells.
 *
 * <p>Expected parameter count (specs/zo-darts.md), with a = sparsemax(alpha), b = sparsemax(beta),
 * g = sparsemax(gamma), C_s = C 2^s:
 * P = sum_s (sum_n g[s,n] n) sum_e [ a_e,1x1 (C_s + 1) C_s + a_e,kv sum_k b_e,k (k^2 C_s + 1) C_s ] + fixed.
 */
final class ZoSizeVariableArch implements ZoArch {
    static final int ROWS = 3 * Nb201Network.EDGES, OPS = 5, KS = SizeVariableNb201Network.KERNELS.length;

    private final int channels, cells, classes, inChannels;
    private final SimplexMap alphaMap, betaMap, gammaMap;
    private boolean expanded;

    /** The derived architecture and its exact parameter count. */
    record Derived(SizeVariableArch arch, String genotype, long params) {
    }

    ZoSizeVariableArch(int channels, int cells, int classes, int inChannels) {
        this.channels = channels;
        this.cells = cells;
        this.classes = classes;
        this.inChannels = inChannels;
        this.alphaMap = new SimplexMap(SimplexMap.Kind.SPARSEMAX, ROWS, OPS);
        this.betaMap = new SimplexMap(SimplexMap.Kind.SPARSEMAX, ROWS, KS);
        this.gammaMap = new SimplexMap(SimplexMap.Kind.SPARSEMAX, 3, cells);
    }

    boolean expanded() { return expanded; }

    /** Enables beta and gamma (theta grows by 18 x 3 + 3 x N). */
    void expand() { expanded = true; }

    @Override
    public NetworkBuilder supernet() { return SizeVariableNb201Network.supernet(channels, cells, classes); }

    @Override
    public List<String> mixBlocks() {
        return List.of(SizeVariableNb201Network.EDGE_MIX, SizeVariableNb201Network.DEPTH_MIX);
    }

    @Override
    public int size() { return ROWS * OPS + (expanded ? ROWS * KS + 3 * cells : 0); }

    /** {a, b, g}: the three probability blocks (fixed one-hots for b and g before expansion). */
    double[][] blocks(double[] theta, double temperature) {
        check(theta);
        double[] a = alphaMap.forward(java.util.Arrays.copyOfRange(theta, 0, ROWS * OPS), temperature);
        double[] b = new double[ROWS * KS], g = new double[3 * cells];
        if (expanded) {
            b = betaMap.forward(java.util.Arrays.copyOfRange(theta, ROWS * OPS, ROWS * (OPS + KS)), temperature);
            g = gammaMap.forward(java.util.Arrays.copyOfRange(theta, ROWS * (OPS + KS), theta.length), temperature);
        } else {
            for (int r = 0; r < ROWS; r++) {
                b[r * KS] = 1;
            }
            for (int s = 0; s < 3; s++) {
                g[s * cells + cells - 1] = 1;
            }
        }
        return new double[][] {a, b, g};
    }

    private void check(double[] theta) {
        if (theta.length != size()) {
            throw new IllegalArgumentException("theta has " + theta.length + " values, expected " + size());
        }
    }

    @Override
    public double[] mixing(double[] theta, double temperature) {
        double[][] p = blocks(theta, temperature);
        double[] a = p[0], b = p[1], g = p[2];
        int e7 = SizeVariableNb201Network.EFFECTIVE;
        double[] m = new double[ROWS * e7 + 3 * cells];
        for (int r = 0; r < ROWS; r++) {
            m[r * e7] = a[r * OPS];
            m[r * e7 + 1] = a[r * OPS + 1];
            m[r * e7 + 2] = a[r * OPS + 2];
            for (int k = 0; k < KS; k++) {
                m[r * e7 + 3 + k] = a[r * OPS + 3] * b[r * KS + k];
            }
            m[r * e7 + 6] = a[r * OPS + 4];
        }
        System.arraycopy(g, 0, m, ROWS * e7, g.length);
        return m;
    }

    @Override
    public double[] backward(double[] theta, double temperature, double[] dMix) {
        double[][] p = blocks(theta, temperature);
        double[] a = p[0], b = p[1];
        int e7 = SizeVariableNb201Network.EFFECTIVE;
        double[] da = new double[ROWS * OPS], db = new double[ROWS * KS];
        for (int r = 0; r < ROWS; r++) {
            da[r * OPS] = dMix[r * e7];
            da[r * OPS + 1] = dMix[r * e7 + 1];
            da[r * OPS + 2] = dMix[r * e7 + 2];
            for (int k = 0; k < KS; k++) {
                da[r * OPS + 3] += b[r * KS + k] * dMix[r * e7 + 3 + k];
                db[r * KS + k] = a[r * OPS + 3] * dMix[r * e7 + 3 + k];
            }
            da[r * OPS + 4] = dMix[r * e7 + 6];
        }
        double[] dg = java.util.Arrays.copyOfRange(dMix, ROWS * e7, dMix.length);
        return chain(p, da, db, dg, temperature);
    }

    /** dL/dtheta from dL/da, dL/db, dL/dg through the three sparsemax maps (beta and gamma only when expanded). */
    private double[] chain(double[][] p, double[] da, double[] db, double[] dg, double temperature) {
        double[] out = new double[size()];
        System.arraycopy(alphaMap.backward(p[0], da, temperature), 0, out, 0, ROWS * OPS);
        if (expanded) {
            System.arraycopy(betaMap.backward(p[1], db, temperature), 0, out, ROWS * OPS, ROWS * KS);
            System.arraycopy(gammaMap.backward(p[2], dg, temperature), 0, out, ROWS * (OPS + KS), 3 * cells);
        }
        return out;
    }

    /** P, the expected parameter count (closed form; differentiable in theta). */
    double expectedParams(double[] theta, double temperature) {
        return expected(blocks(theta, temperature));
    }

    double expected(double[][] p) {
        double total = SizeVariableNb201Network.fixedParams(channels, inChannels, classes);
        for (int s = 0; s < 3; s++) {
            total += depthMean(p[2], s) * cellCost(p[0], p[1], s);
        }
        return total;
    }

    /** dP/dtheta. */
    double[] expectedParamsGrad(double[] theta, double temperature) {
        double[][] p = blocks(theta, temperature);
        double[] a = p[0], b = p[1];
        double[] da = new double[ROWS * OPS], db = new double[ROWS * KS], dg = new double[3 * cells];
        for (int s = 0; s < 3; s++) {
            int c = channels << s;
            double depth = depthMean(p[2], s), cost = cellCost(a, b, s);
            for (int n = 1; n <= cells; n++) {
                dg[s * cells + n - 1] = n * cost;
            }
            for (int e = 0; e < Nb201Network.EDGES; e++) {
                int r = s * Nb201Network.EDGES + e;
                da[r * OPS + 2] = depth * SizeVariableArch.convParams(1, c);
                double kv = 0;
                for (int k = 0; k < KS; k++) {
                    long ck = SizeVariableArch.convParams(SizeVariableNb201Network.KERNELS[k], c);
                    kv += b[r * KS + k] * ck;
                    db[r * KS + k] = depth * a[r * OPS + 3] * ck;
                }
                da[r * OPS + 3] = depth * kv;
            }
        }
        return chain(p, da, db, dg, temperature);
    }

    private double depthMean(double[] g, int s) {
        double d = 0;
        for (int n = 1; n <= cells; n++) {
            d += g[s * cells + n - 1] * n;
        }
        return d;
    }

    private double cellCost(double[] a, double[] b, int s) {
        int c = channels << s;
        double cost = 0;
        for (int e = 0; e < Nb201Network.EDGES; e++) {
            int r = s * Nb201Network.EDGES + e;
            double kv = 0;
            for (int k = 0; k < KS; k++) {
                kv += b[r * KS + k] * SizeVariableArch.convParams(SizeVariableNb201Network.KERNELS[k], c);
            }
            cost += a[r * OPS + 2] * SizeVariableArch.convParams(1, c) + a[r * OPS + 3] * kv;
        }
        return cost;
    }

    @Override
    public double[] probabilities(double[] theta, double temperature) {
        double[][] p = blocks(theta, temperature);
        if (!expanded) {
            return p[0];
        }
        double[] out = new double[size()];
        System.arraycopy(p[0], 0, out, 0, p[0].length);
        System.arraycopy(p[1], 0, out, p[0].length, p[1].length);
        System.arraycopy(p[2], 0, out, p[0].length + p[1].length, p[2].length);
        return out;
    }

    /** The argmax architecture of probabilities laid out as {@link #probabilities}. */
    @Override
    public String genotype(double[] p) {
        return choose(split(p), null).toString();
    }

    @Override
    public Map<String, Object> describe(double[] p) {
        Map<String, Object> m = new LinkedHashMap<>();
        SizeVariableArch a = choose(split(p), null);
        m.put("argmax_params", a.params(channels, inChannels, classes));
        return m;
    }

    @Override
    public List<List<Double>> rows(double[] v) {
        List<List<Double>> out = new ArrayList<>(ZoArch.rowsOf(java.util.Arrays.copyOfRange(v, 0, ROWS * OPS), OPS));
        if (v.length > ROWS * OPS) {
            out.addAll(ZoArch.rowsOf(java.util.Arrays.copyOfRange(v, ROWS * OPS, ROWS * (OPS + KS)), KS));
            out.addAll(ZoArch.rowsOf(java.util.Arrays.copyOfRange(v, ROWS * (OPS + KS), v.length), cells));
        }
        return out;
    }

    /** Probabilities (either layout of {@link #probabilities}) back into {a, b, g} blocks. */
    private double[][] split(double[] p) {
        if (p.length == ROWS * OPS) {
            double[][] fixed = blocks(new double[size()], 1);
            return new double[][] {p, fixed[1], fixed[2]};
        }
        return new double[][] {java.util.Arrays.copyOfRange(p, 0, ROWS * OPS),
                java.util.Arrays.copyOfRange(p, ROWS * OPS, ROWS * (OPS + KS)),
                java.util.Arrays.copyOfRange(p, ROWS * (OPS + KS), p.length)};
    }

    /** Argmax (rnd == null; ties to the lower index) or a draw from each row's probabilities. */
    SizeVariableArch choose(double[][] p, SplittableRandom rnd) {
        int[][] ops = new int[3][Nb201Network.EDGES], kernels = new int[3][Nb201Network.EDGES];
        int[] depth = new int[3];
        for (int s = 0; s < 3; s++) {
            for (int e = 0; e < Nb201Network.EDGES; e++) {
                int r = s * Nb201Network.EDGES + e;
                ops[s][e] = pick(p[0], r * OPS, OPS, rnd);
                kernels[s][e] = SizeVariableNb201Network.KERNELS[pick(p[1], r * KS, KS, rnd)];
            }
            depth[s] = pick(p[2], s * cells, cells, rnd) + 1;
        }
        return new SizeVariableArch(ops, kernels, depth);
    }

    private static int pick(double[] p, int from, int n, SplittableRandom rnd) {
        if (rnd == null) {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (p[from + i] > p[from + best]) {
                    best = i;
                }
            }
            return best;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.max(0, p[from + i]);
        }
        double u = rnd.nextDouble() * sum, acc = 0;
        for (int i = 0; i < n; i++) {
            acc += Math.max(0, p[from + i]);
            if (u < acc) {
                return i;
            }
        }
        // Rounding left u at the top: the last op with positive probability.
        for (int i = n - 1; i > 0; i--) {
            if (p[from + i] > 0) {
                return i;
            }
        }
        return 0;
    }

    /** The final architecture: argmax, or one draw from the (renormalised, sparse) probabilities. */
    Derived derive(double[] theta, double temperature, String mode, long seed) {
        SizeVariableArch a = choose(blocks(theta, temperature),
                "sample".equals(mode) ? new SplittableRandom(seed ^ 0xD1B54A32D192ED03L) : null);
        return new Derived(a, a.toString(), a.params(channels, inChannels, classes));
    }

    /** Exact parameter counts of {@code n} architectures drawn from the current probabilities. */
    double[] sampleCounts(double[] theta, double temperature, int n, long seed) {
        double[][] p = blocks(theta, temperature);
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 17);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = choose(p, rnd).params(channels, inChannels, classes);
        }
        return out;
    }

    @Override
    public void close() {
        alphaMap.close();
        betaMap.close();
        gammaMap.close();
    }
}
