package archway.runtime;

/**
 * Operations over flat buffers that algorithms run between plan executions: parameter copies and
 * perturbations, norms, random streams, optimiser steps, simplex maps of architecture parameters, data
 * conversion. Lengths are in elements and must not exceed the buffers'. On the CPU every call is one
 * native kernel with a fixed reduction order, so results are bit-identical for the same thread count.
 */
public interface FlatOps {
    /** y[0, n) = v. */
    void fill(Buffer y, long n, float v);

    /** y[0, n) = x[0, n). */
    void copy(Buffer x, Buffer y, long n);

    /** Copies {@code bytes} raw bytes (int32 labels, for instance) from x to y. */
    void copyBytes(Buffer x, Buffer y, long bytes);

    /** y += alpha x. */
    void axpy(float alpha, Buffer x, Buffer y, long n);

    /** y = alpha x + beta y. */
    void axpby(float alpha, Buffer x, float beta, Buffer y, long n);

    /** y *= alpha. */
    void scale(Buffer y, long n, float alpha);

    /** y = w + sigma w eps, elementwise (multiplicative Gaussian weight noise); y may be w. */
    void weightNoise(Buffer w, Buffer eps, Buffer y, long n, float sigma);

    /** y = (|w| + eta)^2 g, elementwise (adaptive SAM's scaled gradient). */
    void asamDirection(Buffer w, Buffer g, Buffer y, long n, float eta);

    /** sum x[i]^2 (in double, fixed order). */
    double sumsq(Buffer x, long n);

    /** sum a[i] b[i] (in double, fixed order). */
    double dot(Buffer a, Buffer b, long n);

    /** Philox4x32-10 uniform [0, 1) stream keyed (seed, purpose, step), element i at counter i. */
    void uniform(Buffer out, long n, long seed, int purpose, int step);

    /** Philox4x32-10 standard normal stream keyed (seed, purpose, step). */
    void normal(Buffer out, long n, long seed, int purpose, int step);

    /** One SGD step (PyTorch semantics: L2 decay into the gradient, momentum, optional Nesterov). */
    void sgdStep(Buffer w, Buffer g, Buffer momentum, long n, float lr, float momentumFactor, float weightDecay,
                 boolean nesterov);

    /** One Adam step (t counts from 1); {@code decoupled} selects AdamW's weight decay. */
    void adamStep(Buffer w, Buffer g, Buffer m, Buffer v, long n, float lr, float beta1, float beta2, float eps,
                  float weightDecay, int t, boolean decoupled);

    /** y = softmax(x / temperature) per row of a [rows, cols] matrix. */
    void softmaxRows(Buffer x, Buffer y, int rows, int cols, float temperature);

    /** dx (+)= the softmax rows' vector-Jacobian product of dy at output y. */
    void softmaxRowsBackward(Buffer y, Buffer dy, Buffer dx, int rows, int cols, float temperature,
                             boolean accumulate);

    /** y = sparsemax(x / temperature) per row. */
    void sparsemaxRows(Buffer x, Buffer y, int rows, int cols, float temperature);

    void sparsemaxRowsBackward(Buffer y, Buffer dy, Buffer dx, int rows, int cols, float temperature,
                               boolean accumulate);

    /**
     * y = (x / 255 - mean[c]) / std[c]: uint8 NCHW images (a byte buffer) to normalised floats, n
     * images of c channels of hw pixels.
     */
    void u8ToF32Normalize(Buffer x, Buffer y, long n, int c, long hw, Buffer mean, Buffer std);
}
