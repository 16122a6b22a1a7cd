package archway.supernet;

import archway.spaces.mbv3.Mbv3Arch;
import archway.spaces.mbv3.Mbv3GeneSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The subnets of one training step under the sandwich rule: the largest, the smallest and {@code random}
 * uniformly sampled ones (each gene uniform over its choices), in that order. The random ones are a pure
 * function of (seed, epoch, step), so a resumed run draws what an uninterrupted one draws.
 */
public record SandwichRule(int random) {
    /** The rule of the spec: two random subnets per step. */
    public static final SandwichRule STANDARD = new SandwichRule(2);

    private static final Mbv3GeneSpace GENES = new Mbv3GeneSpace(List.of());

    public SandwichRule {
        if (random < 0) {
            throw new IllegalArgumentException("random subnets per step must be >= 0, got " + random);
        }
    }

    public List<Mbv3Arch> subnets(long seed, int epoch, int step) {
        List<Mbv3Arch> out = new ArrayList<>(2 + random);
        out.add(Mbv3Arch.largest());
        out.add(Mbv3Arch.smallest());
        SplittableRandom rng = new SplittableRandom(mix(mix(mix(seed) ^ epoch) ^ step));
        for (int i = 0; i < random; i++) {
            out.add(GENES.decode(GENES.sample(rng)));
        }
        return out;
    }

    /** SplitMix64's finaliser: neighbouring (seed, epoch, step) give unrelated streams. */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
