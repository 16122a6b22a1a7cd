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

    @Override
    public int alphaSize() { return ROWS * OPS; }

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
    Derived derive(double[] theta, double temperature, ZoConfig.Derive mode, long seed) {
        SizeVariableArch a = choose(blocks(theta, temperature),
                mode == ZoConfig.Derive.SAMPLE ? new SplittableRandom(seed ^ 0xD1B54A32D192ED03L) : null);
        return new Derived(a, a.toString(), a.params(channels, inChannels, classes));
    }

    /**
     * The most probable discrete architecture (product of its rows' probabilities: op and kernel per stage
     * and edge, depth per stage) whose exact parameter count lies in [lower, upper], or null when none does.
     * Each edge has five cost classes (parameter-free: the best of none / skip / avg pool with its best
     * kernel row entry; 1x1; 7x7, 5x5, 3x3), so a stage has 5^6 x N (cost, log-probability) options but at
     * most 210 x N distinct costs; each stage keeps its most probable option per distinct cost (exact).
     * Stages are combined keeping the most probable option per bucket of max(1, upper / 20000) parameters
     * (exact when the bucket is 1; otherwise the answer may trail the optimum by options within one bucket).
     * Zero probabilities (sparsemax) count as 1e-12.
     */
    Derived mostProbableInBand(double[] theta, double temperature, double lower, double upper) {
        double[][] p = blocks(theta, temperature);
        long fixed = archway.spaces.nb201.SizeVariableNb201Network.fixedParams(channels, inChannels, classes);
        List<List<Option>> fronts = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            fronts.add(stageFront(p, s));
        }
        List<Option> acc = List.of(new Option(fixed, 0, null));
        for (int s = 0; s < 3; s++) {
            List<Option> next = new ArrayList<>();
            for (Option a : acc) {
                for (Option b : fronts.get(s)) {
                    if (a.cost() + b.cost() <= upper) {
                        next.add(new Option(a.cost() + b.cost(), a.logp() + b.logp(), new Option[] {a, b}));
                    }
                }
            }
            acc = s < 2 ? bestPerBucket(next, Math.max(1L, (long) (upper / 20000))) : next;
        }
        Option best = null;
        for (Option o : acc) {
            if (o.cost() >= lower && o.cost() <= upper && (best == null || o.logp() > best.logp())) {
                best = o;
            }
        }
        if (best == null) {
            return null;
        }
        int[][] ops = new int[3][Nb201Network.EDGES], kernels = new int[3][Nb201Network.EDGES];
        int[] depth = new int[3];
        Option o = best;
        for (int s = 2; s >= 0; s--) {
            Option stage = o.parts()[1];
            StageChoice c = (StageChoice) stage.parts()[0].choice();
            System.arraycopy(c.ops(), 0, ops[s], 0, Nb201Network.EDGES);
            System.arraycopy(c.kernels(), 0, kernels[s], 0, Nb201Network.EDGES);
            depth[s] = c.depth();
            o = o.parts()[0];
        }
        SizeVariableArch a = new SizeVariableArch(ops, kernels, depth);
        return new Derived(a, a.toString(), a.params(channels, inChannels, classes));
    }

    /** A (parameters, log-probability) option; {@code parts} the two it combines, or a leaf holding its choice. */
    private record Option(long cost, double logp, Option[] parts, Object choice) {
        Option(long cost, double logp, Option[] parts) {
            this(cost, logp, parts, null);
        }
    }

    private record StageChoice(int[] ops, int[] kernels, int depth) {
    }

    /** The most probable option per bucket of {@code width} parameters (ties: the first seen). */
    private static List<Option> bestPerBucket(List<Option> all, long width) {
        Map<Long, Option> best = new java.util.HashMap<>();
        for (Option o : all) {
            best.merge(o.cost() / width, o, (a, b) -> b.logp() > a.logp() ? b : a);
        }
        List<Option> out = new ArrayList<>(best.values());
        out.sort(java.util.Comparator.comparingLong(Option::cost));
        return out;
    }

    /** The Pareto front of one stage's (cost, log-probability) over its 5^6 edge cost classes and N depths. */
    private List<Option> stageFront(double[][] p, int s) {
        int c = channels << s;
        int edges = Nb201Network.EDGES;
        // Per edge and cost class: log-probability, op and kernel of the best choice in that class.
        double[][] lp = new double[edges][5];
        int[][] op = new int[edges][5], kernel = new int[edges][5];
        long[] cost = new long[5];
        for (int e = 0; e < edges; e++) {
            int r = s * edges + e;
            int bestK = 0;
            for (int k = 1; k < KS; k++) {
                if (p[1][r * KS + k] > p[1][r * KS + bestK]) {
                    bestK = k;
                }
            }
            int free = -1;
            for (int o : new int[] {0, 1, 4}) {
                if (free < 0 || p[0][r * OPS + o] > p[0][r * OPS + free]) {
                    free = o;
                }
            }
            lp[e][0] = log(p[0][r * OPS + free]) + log(p[1][r * KS + bestK]);
            op[e][0] = free;
            kernel[e][0] = SizeVariableNb201Network.KERNELS[bestK];
            lp[e][1] = log(p[0][r * OPS + 2]) + log(p[1][r * KS + bestK]);
            op[e][1] = 2;
            kernel[e][1] = SizeVariableNb201Network.KERNELS[bestK];
            for (int k = 0; k < KS; k++) {
                lp[e][2 + k] = log(p[0][r * OPS + 3]) + log(p[1][r * KS + k]);
                op[e][2 + k] = 3;
                kernel[e][2 + k] = SizeVariableNb201Network.KERNELS[k];
            }
        }
        cost[0] = 0;
        cost[1] = SizeVariableArch.convParams(1, c);
        for (int k = 0; k < KS; k++) {
            cost[2 + k] = SizeVariableArch.convParams(SizeVariableNb201Network.KERNELS[k], c);
        }
        List<Option> cellsFront = new ArrayList<>();
        int[] cls = new int[edges];
        int combos = (int) Math.pow(5, edges);
        for (int m = 0; m < combos; m++) {
            int x = m;
            long cc = 0;
            double l = 0;
            for (int e = 0; e < edges; e++) {
                cls[e] = x % 5;
                x /= 5;
                cc += cost[cls[e]];
                l += lp[e][cls[e]];
            }
            int[] o = new int[edges], k = new int[edges];
            for (int e = 0; e < edges; e++) {
                o[e] = op[e][cls[e]];
                k[e] = kernel[e][cls[e]];
            }
            cellsFront.add(new Option(cc, l, null, new StageChoice(o, k, 0)));
        }
        cellsFront = bestPerBucket(cellsFront, 1);
        List<Option> stage = new ArrayList<>();
        for (int d = 1; d <= cells; d++) {
            double ld = log(p[2][s * cells + d - 1]);
            for (Option cell : cellsFront) {
                StageChoice sc = (StageChoice) cell.choice();
                Option leaf = new Option(0, 0, null, new StageChoice(sc.ops(), sc.kernels(), d));
                stage.add(new Option(d * cell.cost(), cell.logp() + ld, new Option[] {leaf}));
            }
        }
        return bestPerBucket(stage, 1);
    }

    private static double log(double p) {
        return Math.log(Math.max(p, 0) + 1e-12);
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
