package archway.runtime.cuda;

/** What a cuDNN algorithm choice depends on: the convolution's descriptor, the pass and how it was chosen. */
public record AlgorithmKey(ConvDescriptor conv, ConvPass pass, ConvAlgorithmSearch search) {
    /** A choice by cuDNN's heuristic, the default. */
    public AlgorithmKey(ConvDescriptor conv, ConvPass pass) {
        this(conv, pass, ConvAlgorithmSearch.HEURISTIC);
    }
}
