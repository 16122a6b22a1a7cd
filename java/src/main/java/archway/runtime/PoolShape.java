package archway.runtime;

/** A square-window 2-D pooling over [n, c, h, w]; {@code countIncludePad} matters for average pooling. */
public record PoolShape(int n, int c, int h, int w, int kernel, int stride, int pad, boolean countIncludePad) {
}
