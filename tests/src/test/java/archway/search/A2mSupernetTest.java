package archway.search;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.graph.Mode;
import archway.graph.ParamStore;
import archway.graph.ValueKind;
import archway.nn.Network;
import archway.nn.Pass;
import archway.runtime.cpu.CpuBuffer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A²M on a real (tiny) NB201 supernet, through {@link SupernetObjective} built as {@link GradientSearch} builds
 * it: the A²M gradient against central differences of F(alpha) = L_val(alpha + rho grad L_val(alpha)).
 *
 * <p>Why the weights are adjusted: with random weights and BN (batch statistics) before every ReLU, about
 * half of the ReLU inputs sit near zero, so L is only piecewise smooth in alpha and grad L jumps whenever
 * a unit changes sign. On a net this small (a few thousand units) the jumps dominate every difference
 * quotient at steps >= 1e-3 (measured: a coordinate derivative of L moved by 2e-3 between h = 1e-4 and
 * 1e-3, and difference quotients of F changed sign with h), and F's derivative, which involves
 * the Hessian, is not defined at the scale A²M probes. Shifting every affine BN's beta to +{@value #SHIFT} and
 * making the shortcut 1x1 convs non-negative moves the ReLU inputs away from zero (afterwards difference
 * quotients of L agree from h = 1e-2 to 1e-1 to ~2e-4, see
 * {@link #objectiveGradientMatchesFiniteDifferencesForEachBase}), so L is smooth (BN normalisation, softmax, cross-entropy remain nonlinear) and the comparison tests
 * A²M rather than the kinks.
 */
class A2mSupernetTest {
    static final int C = 4, CELLS = 1, BATCH = 8, SIDE = 8, CLASSES = 5;
    /** Affine BN shift; BN outputs are ~N(0,1) per channel, so this keeps ReLU inputs positive. */
    static final float SHIFT = 8f;
    static final int ROWS = 6, COLS = 5;
    /**
     * Scales the classifier so the loss reacts to alpha (with the shifted BNs the features are nearly
     * constant and |grad L| would be ~0.02, leaving the Hessian term at float32 noise level).
     */
    static final float CLASSIFIER_GAIN = 10f;

    private Network net;
    private SimplexMap map;
    private Pass arch;
    private SupernetObjective objective;
    private double[] alpha;

    @BeforeEach
    void build() {
        Nb201SearchSpace space = new Nb201SearchSpace();
        net = new Network(space.supernet(C, CELLS, CLASSES), 1, SIDE, SIDE, 17);
        map = new SimplexMap(SimplexMap.Kind.SOFTMAX, ROWS, COLS);
        ParamStore params = net.params();
        MixWeights mix = new MixWeights(params, space.mixBlocks());
        arch = net.pass(BATCH, Mode.TRAIN, ValueKind.MIX);
        objective = new SupernetObjective(arch, mix, map, ROWS, COLS, 1);
        smooth(params);
        SplittableRandom r = new SplittableRandom(23);
        MemorySegment img = CpuBuffer.segment(arch.images());
        for (int i = 0; i < BATCH * SIDE * SIDE; i++) {
            img.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) r.nextGaussian());
        }
        for (int i = 0; i < BATCH; i++) {
            CpuBuffer.segment(arch.labels()).setAtIndex(ValueLayout.JAVA_INT, i, r.nextInt(CLASSES));
        }
        // alpha ~ N(0, 0.5^2) so p is far from uniform (a non-trivial Hessian), with skip favoured by +1 so the
        // positive cell input dominates every node (the ReLU margin above).
        alpha = new double[ROWS * COLS];
        for (int i = 0; i < alpha.length; i++) {
            alpha[i] = 0.5 * r.nextGaussian();
        }
        for (int e = 0; e < ROWS; e++) {
            alpha[e * COLS + archway.spaces.nb201.Nb201Network.SKIP] += 1;
        }
    }

    @AfterEach
    void close() {
        map.close();
        net.close();
    }

    private static void smooth(ParamStore params) {
        for (ParamStore.Entry e : params.entries()) {
            MemorySegment s = CpuBuffer.segment(params.slice(e));
            if (e.name().endsWith(".beta")) {
                for (long i = 0; i < e.size(); i++) {
                    s.setAtIndex(ValueLayout.JAVA_FLOAT, i, SHIFT);
                }
            } else if (e.name().equals("classifier.weight")) {
                for (long i = 0; i < e.size(); i++) {
                    s.setAtIndex(ValueLayout.JAVA_FLOAT, i, CLASSIFIER_GAIN * s.getAtIndex(ValueLayout.JAVA_FLOAT, i));
                }
            } else if (e.name().endsWith(".down.conv.weight")) {
                for (long i = 0; i < e.size(); i++) {
                    s.setAtIndex(ValueLayout.JAVA_FLOAT, i, Math.abs(s.getAtIndex(ValueLayout.JAVA_FLOAT, i)));
                }
            }
        }
    }

    /** L(alpha) as the objective sees it: p written, one forward, plus the beta-DARTS term if enabled. */
    private double loss(double[] a, double betaLambda) {
        objective.applyAlpha(a);
        arch.forward();
        double l = arch.loss();
        if (betaLambda > 0) {
            for (int e = 0; e < ROWS; e++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < COLS; c++) {
                    max = Math.max(max, a[e * COLS + c]);
                }
                double sum = 0;
                for (int c = 0; c < COLS; c++) {
                    sum += Math.exp(a[e * COLS + c] - max);
                }
                l += betaLambda / ROWS * (max + Math.log(sum));
            }
        }
        return l;
    }

    private double perturbedLoss(double[] a, double rho, boolean normalised, double betaLambda) {
        double[] g = objective.at(a);
        double s = normalised ? rho / Vectors.norm(g) : rho;
        return loss(Vectors.axpy(s, g, a), betaLambda);
    }

    private static double[] unit(double[] v) {
        return Vectors.axpy(1 / Vectors.norm(v), v, new double[v.length]);
    }

    private static double[] randomUnit(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = r.nextGaussian();
        }
        return unit(d);
    }

    /**
     * Precondition of the A²M check and a check of {@link SupernetObjective} itself (the DARTS gradient), for
     * the plain objective and with the beta-DARTS regulariser: g.d against
     * central differences of L along random unit directions d. At h = 3e-2 the difference quotient of this
     * smoothed net is stable to ~2e-4 (measured between h = 1e-2 and 1e-1; below 1e-2 float32 rounding of
     * the loss, ~1e-6 absolute at L ~ 20, divided by 2h takes over), so 2e-3 + 2% is a safe tolerance yet
     * an order of magnitude below the regulariser's contribution to g.d (~5e-2).
     */
    @Test
    void objectiveGradientMatchesFiniteDifferencesForEachBase() {
        double h = 3e-2;
        for (String base : List.of("darts", "beta-darts")) {
            double lambda = "beta-darts".equals(base) ? 0.5 : 0;
            objective.betaLambda(lambda);
            double[] g = objective.at(alpha);
            for (int k = 0; k < 3; k++) {
                double[] d = randomUnit(alpha.length, 40 + k);
                double fd = (loss(Vectors.axpy(h, d, alpha), lambda) - loss(Vectors.axpy(-h, d, alpha), lambda)) / (2 * h);
                double want = Vectors.dot(g, d);
                assertTrue(Math.abs(fd - want) <= 2e-3 + 0.02 * Math.abs(want),
                        base + " direction " + k + ": g.d " + want + " vs finite difference " + fd);
            }
        }
    }

    /**
     * A²M against a central difference of F(alpha) = L(alpha + s g(alpha)) (s = rho, or rho/||g|| normalised),
     * along the direction of the curvature correction c = g_A2M - g~ (where the Hessian term lives) and,
     * for the plain variant, along g~.
     *
     * <p>Sizes: eps = 0.1 makes the Hessian-vector difference step eps ||g~|| ~ 3e-2 (with the default 1e-2
     * it is ~3e-3, where float32 rounding of the gradients, ~1e-7 relative, is amplified 1/(2 eps ||g~||)
     * times); h = 1e-2 for F (float32 noise of the two losses over 2h ~ 1e-3, truncation ~1e-3, both
     * measured). rho = 0.3 (plain), 0.1 (normalised, s ~ 0.3 here) make the correction along c 0.03 / 0.003,
     * while A²M's own approximation, H(alpha~) for H(alpha), is O(s^2) and grows faster (at rho = 1 it was
     * 20% of the correction). The tolerance is a quarter of the correction along d: a check that the Hessian
     * term has the right size and sign (dropping it, flipping it, or the unprojected normalised form all
     * fail), and that the error of A²M is small against what it adds to g~.
     */
    @Test
    void a2mMatchesFiniteDifferenceOfPerturbedLoss() {
        record Case(String name, boolean normalised, double rho, double lambda) {
        }
        double eps = 0.1, h = 1e-2;
        for (Case c : List.of(new Case("plain", false, 0.3, 0), new Case("normalised", true, 0.1, 0),
                new Case("plain, beta-DARTS regulariser", false, 0.3, 0.5))) {
            objective.betaLambda(c.lambda());
            double[] g = objective.at(alpha);
            double s = c.normalised() ? c.rho() / Vectors.norm(g) : c.rho();
            double[] gt = objective.at(Vectors.axpy(s, g, alpha));
            double[] ga = A2m.gradient(objective, alpha, c.rho(), eps, c.normalised());
            double[] corr = Vectors.axpy(-1, gt, ga);
            List<double[]> dirs = c.normalised() ? List.of(unit(corr)) : List.of(unit(corr), unit(gt));
            for (double[] d : dirs) {
                double fd = (perturbedLoss(Vectors.axpy(h, d, alpha), c.rho(), c.normalised(), c.lambda())
                        - perturbedLoss(Vectors.axpy(-h, d, alpha), c.rho(), c.normalised(), c.lambda())) / (2 * h);
                double want = Vectors.dot(ga, d);
                double correction = Vectors.dot(corr, d);
                String msg = c.name() + ": dF/dd " + fd + ", A2M " + want + ", g~ " + Vectors.dot(gt, d);
                assertTrue(Math.abs(fd - want) <= 0.25 * Math.abs(correction), msg);
                assertTrue(Math.abs(correction) > 1e-3, "correction too small to test: " + msg);
            }
        }
    }

    /**
     * The four A²M passes run the arch plan, which must differentiate only w.r.t. the mixing weights: it
     * propagates through the convolutions (conv dx) but never computes their weight gradients (conv dw),
     * which the weight plan does.
     */
    @Test
    void archPlanIsAlphaOnly() {
        List<String> archSteps = arch.plan().stepLabels();
        List<String> weightSteps = net.pass(BATCH, Mode.TRAIN, ValueKind.WEIGHT).plan().stepLabels();
        assertFalse(archSteps.stream().anyMatch(l -> l.contains("conv dw")), String.join("\n", archSteps));
        assertTrue(archSteps.stream().anyMatch(l -> l.contains("conv dx")), "arch plan has no backward through convs");
        assertTrue(weightSteps.stream().anyMatch(l -> l.contains("conv dw")), "weight plan lacks conv weight gradients");
        assertTrue(objective.pass() == arch);
    }
}
