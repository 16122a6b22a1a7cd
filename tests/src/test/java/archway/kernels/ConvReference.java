package archway.kernels;

import archway.bindings.cpu.Conv2dDesc;

/**
 * Plain double-precision 2-D convolution, straight from the definition (tests only):
 * y[b, o, oy, ox] = sum over ci in o's group, ty, tx of x[b, ci, oy*sh - ph + ty*dh, ox*sw - pw + tx*dw]
 * * w[o, ci - group start, ty, tx], zero outside the image. The gradients are the same sum read backwards.
 */
final class ConvReference {
    private ConvReference() {
    }

    /** Visits every (x index, w index, y index) triple that contributes x * w to y. */
    private interface Term {
        void add(int xi, int wi, int yi);
    }

    private static void forEachTerm(Conv2dDesc d, Term term) {
        int cg = d.c / d.groups, kg = d.k / d.groups;
        for (int b = 0; b < d.n; b++) {
            for (int o = 0; o < d.k; o++) {
                int g = o / kg;
                for (int oy = 0; oy < d.oh; oy++) {
                    for (int ox = 0; ox < d.ow; ox++) {
                        int yi = ((b * d.k + o) * d.oh + oy) * d.ow + ox;
                        for (int ci = 0; ci < cg; ci++) {
                            for (int ty = 0; ty < d.kh; ty++) {
                                int iy = oy * d.strideH - d.padH + ty * d.dilH;
                                if (iy < 0 || iy >= d.h) {
                                    continue;
                                }
                                for (int tx = 0; tx < d.kw; tx++) {
                                    int ix = ox * d.strideW - d.padW + tx * d.dilW;
                                    if (ix < 0 || ix >= d.w) {
                                        continue;
                                    }
                                    int xi = ((b * d.c + g * cg + ci) * d.h + iy) * d.w + ix;
                                    int wi = ((o * cg + ci) * d.kh + ty) * d.kw + tx;
                                    term.add(xi, wi, yi);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static double[] forward(Conv2dDesc d, double[] x, double[] w) {
        double[] y = new double[Math.toIntExact(d.outputSize())];
        forEachTerm(d, (xi, wi, yi) -> y[yi] += x[xi] * w[wi]);
        return y;
    }

    static double[] backwardData(Conv2dDesc d, double[] dy, double[] w) {
        double[] dx = new double[Math.toIntExact(d.inputSize())];
        forEachTerm(d, (xi, wi, yi) -> dx[xi] += dy[yi] * w[wi]);
        return dx;
    }

    static double[] backwardFilter(Conv2dDesc d, double[] x, double[] dy) {
        double[] dw = new double[Math.toIntExact(d.weightSize())];
        forEachTerm(d, (xi, wi, yi) -> dw[wi] += dy[yi] * x[xi]);
        return dw;
    }

    /** The scalar loss sum(y * r) used by the finite-difference checks. */
    static double loss(Conv2dDesc d, double[] x, double[] w, double[] r) {
        double[] y = forward(d, x, w);
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += y[i] * r[i];
        }
        return s;
    }
}
