package archway.runtime.cuda;

/** What a cuDNN algorithm choice depends on: the convolution's descriptor and the pass. */
public record AlgorithmKey(ConvDescriptor conv, ConvPass pass) {
}
