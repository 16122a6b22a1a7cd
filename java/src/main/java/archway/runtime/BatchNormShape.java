package archway.runtime;

/** Batch normalisation over (n, hw) for each of c channels, with the engine's eps and momentum. */
public record BatchNormShape(int n, int c, int hw) {
}
