package archway.runtime;

/** A square-kernel 2-D convolution: input [n, c, h, w], k filters, stride, padding, dilation, groups. */
public record ConvShape(int n, int c, int h, int w, int k, int kernel, int stride, int pad, int dilation, int groups) {
}
