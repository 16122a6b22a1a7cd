package archway.search;

/**
 * Adam on the architecture parameters (a few hundred values at most, so plain Java doubles):
 * torch.optim.Adam semantics with L2 weight decay added to the gradient.
 */
public final class AdamState {
    private final double lr, beta1, beta2, eps, weightDecay;
    private double[] m, v;
    private int t;

    public AdamState(int size, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.m = new double[size];
        this.v = new double[size];
    }

    /** Updates {@code params} in place with gradient {@code g}. */
    public void step(double[] params, double[] g) {
        t++;
        double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < params.length; i++) {
            double gi = g[i] + weightDecay * params[i];
            m[i] = beta1 * m[i] + (1 - beta1) * gi;
            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
            params[i] -= lr * (m[i] / bc1) / (Math.sqrt(v[i] / bc2) + eps);
        }
    }

    public double[] m() { return m; }

    public double[] v() { return v; }

    public int steps() { return t; }

    /** Restores state from a checkpoint. */
    public void restore(double[] m, double[] v, int t) {
        this.m = m.clone();
        this.v = v.clone();
        this.t = t;
    }
}
