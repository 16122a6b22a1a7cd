package archway.search;

import java.util.Arrays;
import java.util.List;

/** The cell search spaces a differentiable search runs on. */
public enum SpaceKind {
    /** NAS-Bench-201: one 6 x 5 alpha shared by every cell. */
    NB201("nb201"),
    /** The DARTS cell space: alpha_normal and alpha_reduce, 14 edges each. */
    DARTS("darts");

    private final String label;

    SpaceKind(String label) {
        this.label = label;
    }

    public String label() { return label; }

    public static List<String> labels() {
        return Arrays.stream(values()).map(SpaceKind::label).toList();
    }

    public static SpaceKind parse(String s) {
        for (SpaceKind k : values()) {
            if (k.label.equals(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown space '" + s + "' (known: " + String.join(", ", labels()) + ")");
    }
}
