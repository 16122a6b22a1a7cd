package archway.spaces;

import archway.cli.UserError;
import archway.nb201.Nb201Arch;
import archway.nn.NetworkBuilder;
import archway.spaces.nb201.Nb201Network;

/** Builds discrete networks of each search space from their textual architecture. */
public final class SpaceNetworks {
    private SpaceNetworks() {
    }

    /**
     * @param space "nb201" or "darts"
     * @param arch  an NB201 architecture string / 6-digit form, or a DARTS Genotype(...) text
     */
    public static NetworkBuilder discrete(String space, String arch, int channels, int cells, int classes) {
        return switch (space) {
            case "nb201" -> {
                Nb201Arch a = Nb201Arch.parse(arch);
                int[] ops = new int[Nb201Network.EDGES];
                for (int e = 0; e < ops.length; e++) {
                    ops[e] = a.op(e);
                }
                yield Nb201Network.discrete(ops, channels, cells, classes);
            }
            case "darts" -> throw new UserError("space darts: discrete DARTS networks are not available in this build yet");
            default -> throw new UserError("unknown space '" + space + "' (known: nb201, darts)");
        };
    }
}
