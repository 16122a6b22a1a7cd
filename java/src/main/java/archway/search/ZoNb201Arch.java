package archway.search;

import archway.nn.NetworkBuilder;
import archway.spaces.nb201.Nb201Network;
import java.util.List;
import java.util.Map;

/**
 * ZO-DARTS / ZO-DARTS+ on the NAS-Bench-201 supernet: theta is the one shared [6, 5] alpha, mixed through
 * softmax (zo-darts) or sparsemax (zo-darts-plus) of alpha / T.
 */
final class ZoNb201Arch implements ZoArch {
    private final Nb201SearchSpace space = new Nb201SearchSpace();
    private final SimplexMap map;
    private final int channels, cells, classes;

    ZoNb201Arch(SimplexMap.Kind kind, int channels, int cells, int classes) {
        this.map = new SimplexMap(kind, Nb201Network.EDGES, Nb201Network.OPS.size());
        this.channels = channels;
        this.cells = cells;
        this.classes = classes;
    }

    @Override
    public NetworkBuilder supernet() { return Nb201Network.supernet(channels, cells, classes); }

    @Override
    public List<String> mixBlocks() { return space.mixBlocks(); }

    @Override
    public int size() { return Nb201Network.EDGES * Nb201Network.OPS.size(); }

    @Override
    public double[] mixing(double[] theta, double temperature) { return map.forward(theta, temperature); }

    @Override
    public double[] backward(double[] theta, double temperature, double[] dMix) {
        return map.backward(map.forward(theta, temperature), dMix, temperature);
    }

    @Override
    public double[] probabilities(double[] theta, double temperature) { return map.forward(theta, temperature); }

    @Override
    public String genotype(double[] p) { return space.genotype(p); }

    @Override
    public Map<String, Object> describe(double[] p) { return space.describe(space.genotype(p)); }

    @Override
    public List<List<Double>> rows(double[] v) { return ZoArch.rowsOf(v, Nb201Network.OPS.size()); }

    @Override
    public void close() { map.close(); }
}
