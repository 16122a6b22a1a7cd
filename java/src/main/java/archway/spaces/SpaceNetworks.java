package archway.spaces;

import archway.UserError;
import archway.nb201.Nb201Arch;
import archway.nn.NetworkBuilder;
import archway.spaces.darts.DartsNetwork;
import archway.spaces.darts.Genotype;
import archway.spaces.nb201.Nb201Network;

/** Builds discrete networks of each search space from their textual architecture. */
public final class SpaceNetworks {
    private SpaceNetworks() {
    }

    /**
     * @param space "nb201" or "darts"
     * @param arch  an NB201 architecture string / 6-digit form, or a DARTS Genotype(...) text
     * @param cells NB201: cells per stage; DARTS: cells in total (reduction cells at 1/3 and 2/3)
     */
    public static NetworkBuilder discrete(String space, String arch, int channels, int cells, int classes) {
        return switch (space) {
            case "nb201" -> {
                Nb201Arch a;
                try {
                    a = Nb201Arch.parse(arch);
                } catch (IllegalArgumentException e) {
                    throw new UserError("--arch: " + e.getMessage());
                }
                int[] ops = new int[Nb201Network.EDGES];
                for (int e = 0; e < ops.length; e++) {
                    ops[e] = a.op(e);
                }
                yield Nb201Network.discrete(ops, channels, cells, classes);
            }
            case "darts" -> {
                Genotype g;
                try {
                    g = Genotype.parse(arch);
                } catch (IllegalArgumentException e) {
                    throw new UserError(e.getMessage());
                }
                yield DartsNetwork.discrete(g, channels, cells, classes);
            }
            default -> throw new UserError("unknown space '" + space + "' (known: nb201, darts)");
        };
    }
}
