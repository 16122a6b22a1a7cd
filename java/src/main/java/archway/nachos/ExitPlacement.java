package archway.nachos;

import java.util.Arrays;

/**
 * NACHOS's exit-placement genes: one bit per stage 1-4 of the mbv3 backbone (an exit after that stage's last
 * layer); at least one early exit. The final classifier is always the last exit.
 */
public record ExitPlacement(boolean[] afterStage) {
    /** Stages that may carry an early exit (the fifth stage ends in the final classifier). */
    public static final int GENES = 4;

    public ExitPlacement {
        if (afterStage.length != GENES) {
            throw new IllegalArgumentException("need " + GENES + " exit bits, got " + afterStage.length);
        }
        afterStage = afterStage.clone();
        boolean any = false;
        for (boolean b : afterStage) {
            any |= b;
        }
        if (!any) {
            throw new IllegalArgumentException("need at least one early exit");
        }
    }

    /** From gene values 0/1, in stage order. */
    public static ExitPlacement ofGenes(int... bits) {
        boolean[] b = new boolean[bits.length];
        for (int i = 0; i < bits.length; i++) {
            if (bits[i] != 0 && bits[i] != 1) {
                throw new IllegalArgumentException("exit genes are bits, got " + Arrays.toString(bits));
            }
            b[i] = bits[i] == 1;
        }
        return new ExitPlacement(b);
    }

    @Override
    public boolean[] afterStage() {
        return afterStage.clone();
    }

    /** 0-based stage indices carrying an early exit, ascending. */
    public int[] stages() {
        return java.util.stream.IntStream.range(0, GENES).filter(s -> afterStage[s]).toArray();
    }

    /** Number of exits including the final one. */
    public int exits() {
        return stages().length + 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExitPlacement p && Arrays.equals(afterStage, p.afterStage);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(afterStage);
    }

    @Override
    public String toString() {
        return "exits" + Arrays.toString(stages());
    }
}
