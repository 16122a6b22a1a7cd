package archway.search;

/**
 * The gradient of an architecture loss with respect to alpha at fixed network weights and a fixed
 * batch. Search algorithms (A²M, finite-difference Hessian products) are written against this, so
 * they can be checked on analytic objectives as well as on a supernet.
 */
@FunctionalInterface
public interface ArchGradient {
    /** dL/dalpha at {@code alpha} (flattened, same length). */
    double[] at(double[] alpha);
}
