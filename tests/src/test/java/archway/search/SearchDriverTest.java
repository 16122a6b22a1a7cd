package archway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.run.RunDirectory;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one driver's contract with a Java caller: typed events in order (per epoch EpochFinished, a
 * GenotypeChanged when the genotype moved, CheckpointWritten; then Finished), the result record equal to
 * result.json, and the lowest-validation-loss genotype chosen by the loss measured over the whole
 * validation split after each epoch.
 */
class SearchDriverTest {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    static final int LIMIT = 192;

    @Test
    void eventsAndResultRecordFollowTheRun(@TempDir Path tmp) throws Exception {
        SearchConfig cfg = SearchConfig.defaults(SpaceKind.NB201, Algorithm.DARTS, Base.DARTS, "fashion-mnist-mini", tmp)
                .withSize(3, 4, 1, 16).withSeed(1, 2).withTrainLimit(LIMIT);
        List<SearchEvent> events = new ArrayList<>();
        SearchResult r = new Search(cfg, QUIET).listener(events::add).run(false);

        List<SearchEvent.EpochFinished> epochs = new ArrayList<>();
        String previous = "";
        int i = 0;
        for (int e = 1; e <= 3; e++) {
            var f = assertInstanceOf(SearchEvent.EpochFinished.class, events.get(i++));
            assertEquals(e, f.epoch());
            assertEquals(3, f.epochs());
            epochs.add(f);
            if (!f.genotype().equals(previous)) {
                var g = assertInstanceOf(SearchEvent.GenotypeChanged.class, events.get(i++));
                assertEquals(previous, g.previous());
                assertEquals(f.genotype(), g.genotype());
            }
            previous = f.genotype();
            var c = assertInstanceOf(SearchEvent.CheckpointWritten.class, events.get(i++));
            assertEquals(e, c.epoch());
            assertTrue(Files.exists(c.file()));
        }
        var fin = assertInstanceOf(SearchEvent.Finished.class, events.get(i++));
        assertEquals(i, events.size());
        assertEquals(r, fin.result());

        // The whole validation split of the 192 images: every accuracy is a whole number of its images.
        var train = archway.data.Datasets.load("fashion-mnist-mini", null).train();
        var subset = train.subset(archway.data.Subsets.random(train.size(), LIMIT, 1), "limited");
        int valImages = archway.data.SearchSplit.of(subset, 1).archVal().length;
        int best = 0;
        for (int e = 0; e < 3; e++) {
            double hits = epochs.get(e).valAccuracy() * valImages / 100;
            assertEquals(Math.rint(hits), hits, 1e-6, "accuracy over " + valImages + " images");
            if (epochs.get(e).valLoss() < epochs.get(best).valLoss()) {
                best = e;
            }
        }
        assertEquals(best + 1, r.bestEpoch());
        assertEquals(epochs.get(best).valLoss(), r.bestValLoss());
        assertEquals(epochs.get(best).genotype(), r.bestGenotype());
        assertEquals(epochs.get(2).genotype(), r.genotype());

        JsonNode json = RunDirectory.JSON.readTree(tmp.resolve("result.json").toFile());
        assertEquals(r.genotype(), json.get("genotype").asText());
        assertEquals(r.bestGenotype(), json.get("genotype_best_val_loss").asText());
        assertEquals(r.bestEpoch(), json.get("best_epoch").asInt());
        assertEquals(r.fields().get("nb201_cifar10_accuracy"), json.get("nb201_cifar10_accuracy").asDouble());
        List<String> lines = Files.readAllLines(tmp.resolve("metrics.jsonl"));
        assertEquals(3, lines.size());
        assertEquals(epochs.get(1).valLoss(), RunDirectory.JSON.readTree(lines.get(1)).get("val_loss").asDouble());
    }

    @Test
    void typedConfigurationRejectsWhatTheEngineCannotRun() {
        assertThrows(IllegalArgumentException.class, () -> Algorithm.parse("darts3"));
        assertThrows(IllegalArgumentException.class, () -> Base.parse("sdarts-adv"));
        assertThrows(IllegalArgumentException.class, () -> SpaceKind.parse("nb301"));
        SearchConfig cfg = SearchConfig.defaults("nb201", "darts", "darts", "fashion-mnist-mini", Path.of("x"));
        assertThrows(IllegalArgumentException.class, () -> cfg.withSize(0, 4, 1, 16));
        assertThrows(IllegalArgumentException.class, () -> new DartsSearch(SearchConfig.defaults("nb201", "zo-darts",
                "darts", "fashion-mnist-mini", Path.of("x")), QUIET));
        // The ZO family's weight optimiser is the reference's; the gradient family keeps DARTS's.
        SearchConfig zo = SearchConfig.defaults("nb201", "zo-darts-plus", "darts", "fashion-mnist-mini", Path.of("x"));
        assertEquals(new SearchConfig.WeightOptimiser(0.1, 0.001, 0.9, 3e-4, true, 5.0), zo.weights());
        assertEquals(new SearchConfig.WeightOptimiser(0.025, 0.001, 0.9, 3e-4, false, 5.0), cfg.weights());
    }

    /** DARTS-'s auxiliary skip weight decays per epoch, 1 at the first and 0 at the last; other bases have none. */
    @Test
    void dartsMinusDecaysPerEpoch() {
        assertEquals(1.0, Base.DARTS_MINUS.auxiliarySkip(0, 5));
        assertEquals(0.75, Base.DARTS_MINUS.auxiliarySkip(1, 5));
        assertEquals(0.0, Base.DARTS_MINUS.auxiliarySkip(4, 5));
        assertEquals(0.0, Base.DARTS.auxiliarySkip(0, 5));
        assertEquals(0.03, Base.SDARTS_RS.perturbation(0, 5), 1e-15);
        assertEquals(0.3, Base.SDARTS_RS.perturbation(4, 5), 1e-15);
        assertEquals(1.5, Base.BETA_DARTS.regulariserWeight(0.5, 3));
        assertEquals(0.0, Base.PC_DARTS.regulariserWeight(0.5, 3));
    }
}
