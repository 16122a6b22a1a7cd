package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.nb201.Nb201Arch;
import archway.nb201.Nb201Dataset;
import archway.nb201.Nb201Table;
import archway.search.Algorithm;
import archway.search.SearchResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's examples run against the installed artifacts and return what they claim. */
class ExamplesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void tableLookupFindsTheBenchmarksBestCifar10Cell() {
        Nb201Arch best = TableExample.bestOnCifar10();
        Nb201Table table = Nb201Table.loadDefault();
        // docs/landscape.md: the best CIFAR-10 test accuracy, 94.37, is at benchmark index 6111.
        assertEquals(6111, table.indexOf(best));
        assertEquals(94.37, table.accuracy(Nb201Dataset.CIFAR10, best), 0.005);
        assertEquals(6111, table.find(best.toDigits()));
        assertEquals(6111, table.find(best.toBenchmarkString()));
    }

    @Test
    void tinySearchReturnsAValidCellConsistentWithItsProbabilitiesAndTheTable() throws IOException {
        Path run = dir.resolve("search");
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        SearchResult result;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            result = SearchExample.run(run);
        } finally {
            System.setOut(out);
        }
        Map<String, Object> r = result.fields();
        // The typed record is result.json; the listener saw the epoch and the end as typed events.
        assertEquals(Algorithm.DARTS, result.algo());
        assertEquals(r.get("genotype"), result.genotype());
        assertEquals(1, result.bestEpoch(), "one epoch: it is the best one");
        assertEquals(result.genotype(), result.bestGenotype());
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("epoch 1/1: validation loss "), text);
        assertTrue(text.contains("genotype now " + result.genotype()), text);
        assertTrue(text.contains("found " + result.genotype()), text);
        Nb201Arch arch = Nb201Arch.parse((String) r.get("genotype"));
        // NB201 discretisation (docs/spaces.md): argmax over all five ops on each of the six edges.
        @SuppressWarnings("unchecked")
        List<List<Number>> p = (List<List<Number>>) r.get("probabilities");
        assertEquals(Nb201Arch.NUM_EDGES, p.size());
        for (int e = 0; e < Nb201Arch.NUM_EDGES; e++) {
            List<Number> row = p.get(e);
            assertEquals(Nb201Arch.NUM_OPS, row.size());
            assertEquals(1.0, row.stream().mapToDouble(Number::doubleValue).sum(), 1e-6, "softmax row " + e);
            int argmax = 0;
            for (int o = 1; o < row.size(); o++) {
                argmax = row.get(o).doubleValue() > row.get(argmax).doubleValue() ? o : argmax;
            }
            assertEquals(argmax, arch.op(e), "edge " + e);
        }
        Nb201Table table = Nb201Table.loadDefault();
        assertEquals(table.indexOf(arch), ((Number) r.get("nb201_index")).intValue());
        assertEquals(table.accuracy(Nb201Dataset.CIFAR10, arch), (Double) r.get("nb201_cifar10_accuracy"));
        JsonNode onDisk = JSON.readTree(run.resolve("result.json").toFile());
        assertEquals(r.get("genotype"), onDisk.get("genotype").asText());
        assertEquals(1, Files.readAllLines(run.resolve("metrics.jsonl")).size(), "one line per epoch");
        assertTrue(Files.size(run.resolve("alpha-heatmap.png")) > 0);
    }

    @Test
    void trainingLearnsAboveChanceAndWritesItsResult() throws IOException {
        Path run = dir.resolve("train");
        Map<String, Object> r = TrainExample.run("333313", run);
        double acc = (Double) r.get("test_accuracy");
        // 10 balanced classes: chance is 10%; 64 steps of this seed reach about 31%.
        assertTrue(acc > 20, "test accuracy " + acc);
        JsonNode onDisk = JSON.readTree(run.resolve("result.json").toFile());
        assertEquals(acc, onDisk.get("test_accuracy").asDouble());
        assertEquals(nb201Params333313(4, 1, 10), (Long) r.get("params"));
        assertEquals((Long) r.get("params"), onDisk.get("params").asLong());
        assertEquals(1, Files.readAllLines(run.resolve("metrics.jsonl")).size(), "one line per epoch");
    }

    /**
     * Hand count (docs/spaces.md) of the NB201 network with cell 333313 (nor_conv_3x3 on every edge but 3&lt;-0,
     * which is skip_connect), N = 1 cell per stage, C channels, one input channel: convolutions without bias,
     * BatchNorm with 2 parameters per channel.
     */
    private static long nb201Params333313(long c, long inChannels, long classes) {
        long stem = 9 * inChannels * c + 2 * c;
        long cells = 0;
        long reductions = 0;
        for (long w = c; w <= 4 * c; w *= 2) {
            cells += 5 * (9 * w * w + 2 * w);                        // five ReLU-Conv3x3-BN edges per cell
            if (w < 4 * c) {
                long o = 2 * w;                                      // residual block w -> 2w
                reductions += (9 * w * o + 2 * o) + (9 * o * o + 2 * o) + w * o;
            }
        }
        long head = 2 * (4 * c) + (4 * c * classes + classes);       // final BN, linear classifier with bias
        return stem + cells + reductions + head;
    }
}
