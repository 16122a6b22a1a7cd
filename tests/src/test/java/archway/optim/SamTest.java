package archway.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import archway.runtime.Backend;
import archway.runtime.Backends;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** SAM and adaptive SAM on the quadratic L(w) = 1/2 sum a_i w_i^2 (gradient a w) against their closed forms. */
class SamTest {
    private static final int N = 1000;

    private static double[] closedFormPerturbed(double[] w, double[] a, double rho, boolean adaptive, double eta) {
        double[] dir = new double[N];
        double norm = 0;
        for (int i = 0; i < N; i++) {
            double g = a[i] * w[i];
            double t = adaptive ? (Math.abs(w[i]) + eta) : 1;
            dir[i] = t * t * g;
            norm += t * t * g * g;
        }
        norm = Math.sqrt(norm);
        double[] out = new double[N];
        for (int i = 0; i < N; i++) {
            out[i] = w[i] + rho * dir[i] / norm;
        }
        return out;
    }

    private static void check(Sam.Kind kind) {
        Backend b = Backends.standard();
        Random r = new Random(kind.ordinal());
        float[] w0 = new float[N];
        double[] wd = new double[N];
        double[] a = new double[N];
        float[] g0 = new float[N];
        for (int i = 0; i < N; i++) {
            w0[i] = (float) r.nextGaussian();
            wd[i] = w0[i];
            a[i] = 0.5 + r.nextDouble();
            g0[i] = (float) (a[i] * wd[i]);
        }
        try (BufferArena arena = b.arena()) {
            Buffer w = arena.allocate(N), g = arena.allocate(N);
            w.write(0, w0);
            g.write(0, g0);
            try (Sam sam = new Sam(b, w, g, N, kind, 0.5f, 0.01f)) {
                sam.perturb();
                float[] moved = new float[N];
                w.read(0, moved);
                double[] expected = closedFormPerturbed(wd, a, 0.5, kind == Sam.Kind.ADAPTIVE, 0.01);
                for (int i = 0; i < N; i++) {
                    assertEquals(expected[i], moved[i], 1e-5 * (1 + Math.abs(expected[i])), kind + " w+e at " + i);
                }
                // the gradient at w + e, then restore and one plain SGD step with it: w - lr a (w + e)
                float[] gAdv = new float[N];
                for (int i = 0; i < N; i++) {
                    gAdv[i] = (float) (a[i] * moved[i]);
                }
                g.write(0, gAdv);
                sam.restore();
                float[] back = new float[N];
                w.read(0, back);
                org.junit.jupiter.api.Assertions.assertArrayEquals(w0, back, "restore is exact");
                try (Sgd sgd = new Sgd(b, w, g, N, 0f, 0f, false)) {
                    sgd.step(0.1f);
                }
                float[] stepped = new float[N];
                w.read(0, stepped);
                for (int i = 0; i < N; i++) {
                    double want = wd[i] - 0.1 * a[i] * expected[i];
                    assertEquals(want, stepped[i], 1e-5 * (1 + Math.abs(want)), kind + " step at " + i);
                }
            }
        }
    }

    @Test
    void samPerturbationAndStepMatchTheClosedForm() {
        check(Sam.Kind.SAM);
    }

    @Test
    void adaptiveSamPerturbationAndStepMatchTheClosedForm() {
        check(Sam.Kind.ADAPTIVE);
    }
}
