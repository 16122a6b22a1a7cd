package archway.spaces.darts;

import java.util.ArrayList;
import java.util.List;

/**
 * A discrete DARTS architecture in the text form the DARTS code prints:
 * {@code Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ...], normal_concat=[2, 3, 4, 5],
 * reduce=[...], reduce_concat=[2, 3, 4, 5])}. Each cell lists two (op, input) genes per intermediate
 * node in node order; input 0 and 1 are the cell inputs, input i + 2 is intermediate node i. The
 * concat lists name the nodes whose outputs are concatenated into the cell output.
 */
public record Genotype(List<Gene> normal, List<Integer> normalConcat, List<Gene> reduce, List<Integer> reduceConcat) {
    /** One edge of a discrete cell: {@code op} applied to node {@code input}. */
    public record Gene(String op, int input) {
    }

    public Genotype {
        normal = List.copyOf(normal);
        reduce = List.copyOf(reduce);
        normalConcat = List.copyOf(normalConcat);
        reduceConcat = List.copyOf(reduceConcat);
        validate("normal", normal, normalConcat);
        validate("reduce", reduce, reduceConcat);
    }

    private static void validate(String cell, List<Gene> genes, List<Integer> concat) {
        if (genes.isEmpty() || genes.size() % 2 != 0) {
            throw new IllegalArgumentException("genotype: " + cell + " needs two (op, input) pairs per node, got "
                    + genes.size() + " pairs");
        }
        for (int i = 0; i < genes.size(); i++) {
            Gene gene = genes.get(i);
            int node = i / 2;
            if (!DartsOps.ALL.contains(gene.op())) {
                throw new IllegalArgumentException("genotype: unknown op '" + gene.op() + "' in " + cell
                        + " (known: " + String.join(", ", DartsOps.ALL) + ")");
            }
            if (gene.input() < 0 || gene.input() >= node + 2) {
                throw new IllegalArgumentException("genotype: " + cell + " node " + (node + 2) + " cannot take input "
                        + gene.input() + " (allowed 0.." + (node + 1) + ")");
            }
        }
        int nodes = genes.size() / 2 + 2;
        if (concat.isEmpty()) {
            throw new IllegalArgumentException("genotype: " + cell + "_concat is empty");
        }
        for (int c : concat) {
            if (c < 0 || c >= nodes) {
                throw new IllegalArgumentException("genotype: " + cell + "_concat node " + c + " out of range 0.." + (nodes - 1));
            }
        }
    }

    /** Intermediate nodes of the normal cell. */
    public int normalSteps() { return normal.size() / 2; }

    /** Intermediate nodes of the reduction cell. */
    public int reduceSteps() { return reduce.size() / 2; }

    /** The DARTS text form (parsed back by {@link #parse}). */
    @Override
    public String toString() {
        return "Genotype(normal=" + genes(normal) + ", normal_concat=" + normalConcat + ", reduce=" + genes(reduce)
                + ", reduce_concat=" + reduceConcat + ")";
    }

    private static String genes(List<Gene> genes) {
        List<String> parts = new ArrayList<>();
        for (Gene g : genes) {
            parts.add("('" + g.op() + "', " + g.input() + ")");
        }
        return "[" + String.join(", ", parts) + "]";
    }

    /**
     * Parses the DARTS text form: the four fields in any order, single or double quotes, concat lists
     * as {@code [2, 3, 4, 5]} or {@code range(2, 6)}; a leading {@code Genotype} is optional.
     *
     * @throws IllegalArgumentException with the position and what was expected
     */
    public static Genotype parse(String text) {
        return new GenotypeParser(text).genotype();
    }
}
