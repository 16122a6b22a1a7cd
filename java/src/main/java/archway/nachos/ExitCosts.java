package archway.nachos;

import archway.spaces.mbv3.Mbv3Arch;
import archway.spaces.mbv3.Mbv3Count;
import java.util.Arrays;

/**
 * Exact MACs of leaving an early-exit network at each exit, for one image: E_j = B_j + C_j with B_j the backbone
 * up to exit j and C_j its classifier (the final exit is the whole backbone with its own head: C_J = 0).
 *
 * <p>Max-pool prepending rule: walking the early exits from the last one backwards, each exit takes the smallest
 * pool kernel in {1, 2, 4} for which E_j is below the next exit's E_{j+1}; kernels that would shrink the map below
 * 1 x 1 are not tried, and when none is cheaper the largest allowed kernel stays.
 */
public record ExitCosts(long[] backbone, long[] classifier, ExitClassifier[] heads) {
    public ExitCosts {
        if (backbone.length != classifier.length || heads.length != backbone.length - 1) {
            throw new IllegalArgumentException("need one backbone and classifier cost per exit, one head per early exit");
        }
        backbone = backbone.clone();
        classifier = classifier.clone();
        heads = heads.clone();
    }

    public static ExitCosts of(Mbv3Arch arch, ExitPlacement placement, int inChannels, int resolution, int classes) {
        Mbv3Count.StageEnd[] ends = Mbv3Count.stageEnds(arch, inChannels, resolution);
        int[] stages = placement.stages();
        int exits = stages.length + 1;
        long[] b = new long[exits];
        long[] c = new long[exits];
        ExitClassifier[] heads = new ExitClassifier[exits - 1];
        b[exits - 1] = Mbv3Count.of(arch, inChannels, resolution, classes).macs();
        for (int j = exits - 2; j >= 0; j--) {
            Mbv3Count.StageEnd end = ends[stages[j]];
            long next = b[j + 1] + c[j + 1];
            ExitClassifier head = null;
            for (int k : ExitClassifier.POOLS) {
                if (end.size() / k < 1) {
                    break;
                }
                head = new ExitClassifier(end.channels(), end.size(), k, classes);
                if (end.macs() + head.macs() < next) {
                    break;
                }
            }
            heads[j] = head;
            b[j] = end.macs();
            c[j] = head.macs();
        }
        return new ExitCosts(b, c, heads);
    }

    public int exits() {
        return backbone.length;
    }

    /** E_j = B_j + C_j for each exit. */
    public double[] perExit() {
        double[] e = new double[backbone.length];
        for (int j = 0; j < e.length; j++) {
            e[j] = backbone[j] + classifier[j];
        }
        return e;
    }

    /** Expected MACs per image = sum_j r_j E_j for exit rates r (shares of samples leaving at each exit). */
    public double expected(double[] rates) {
        if (rates.length != exits()) {
            throw new IllegalArgumentException("need " + exits() + " exit rates, got " + rates.length);
        }
        double[] e = perExit();
        double sum = 0;
        for (int j = 0; j < e.length; j++) {
            sum += rates[j] * e[j];
        }
        return sum;
    }

    @Override
    public long[] backbone() {
        return backbone.clone();
    }

    @Override
    public long[] classifier() {
        return classifier.clone();
    }

    @Override
    public ExitClassifier[] heads() {
        return heads.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExitCosts x && Arrays.equals(backbone, x.backbone) && Arrays.equals(classifier, x.classifier);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(backbone) + Arrays.hashCode(classifier);
    }
}
