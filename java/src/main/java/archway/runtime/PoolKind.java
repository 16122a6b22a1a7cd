package archway.runtime;

/** Which reduction a pooling window applies. */
public enum PoolKind { AVG, MAX }
