package archway.runtime.cuda;

/** A cuDNN algorithm chosen for one convolution pass, and the workspace bytes it needs. */
public record ConvAlgorithm(int algo, long workspaceBytes) {
}
