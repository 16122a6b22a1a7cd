package archway.runtime.cuda;

/** The three cuDNN convolution passes, each with its own algorithm family. */
public enum ConvPass { FORWARD, BACKWARD_DATA, BACKWARD_FILTER }
