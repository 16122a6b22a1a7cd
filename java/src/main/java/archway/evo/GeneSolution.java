package archway.evo;

import java.util.ArrayList;
import java.util.List;
import org.uma.jmetal.solution.AbstractSolution;
import org.uma.jmetal.solution.integersolution.IntegerSolution;
import org.uma.jmetal.util.bounds.Bounds;

/**
 * A genome as jMetal sees it: integer genes (gene i an index into a choice list of size {@code cardinality[i]})
 * and its objective values. Ours rather than jMetal's {@code DefaultIntegerSolution}, whose constructor draws
 * random genes from jMetal's global generator.
 */
public final class GeneSolution extends AbstractSolution<Integer> implements IntegerSolution {
    private static final long serialVersionUID = 1L;
    private final List<Bounds<Integer>> bounds;

    public GeneSolution(int[] genes, int[] cardinality, int objectives) {
        super(genes.length, objectives);
        if (genes.length != cardinality.length) {
            throw new IllegalArgumentException(genes.length + " genes for " + cardinality.length + " bounds");
        }
        List<Bounds<Integer>> b = new ArrayList<>(genes.length);
        for (int i = 0; i < genes.length; i++) {
            b.add(Bounds.create(0, cardinality[i] - 1));
            variables().set(i, genes[i]);
        }
        this.bounds = b;
    }

    /** A solution that only carries objective values (fronts, hypervolume, tests). */
    public static GeneSolution ofObjectives(double[] objectives) {
        GeneSolution s = new GeneSolution(new int[0], new int[0], objectives.length);
        System.arraycopy(objectives, 0, s.objectives(), 0, objectives.length);
        return s;
    }

    private GeneSolution(GeneSolution other) {
        super(other.variables().size(), other.objectives().length);
        this.bounds = other.bounds;
        for (int i = 0; i < other.variables().size(); i++) {
            variables().set(i, other.variables().get(i));
        }
        System.arraycopy(other.objectives(), 0, objectives(), 0, other.objectives().length);
        attributes.putAll(other.attributes());
    }

    public int[] genes() {
        int[] g = new int[variables().size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = variables().get(i);
        }
        return g;
    }

    @Override
    public Bounds<Integer> getBounds(int index) {
        return bounds.get(index);
    }

    @Override
    public GeneSolution copy() {
        return new GeneSolution(this);
    }
}
