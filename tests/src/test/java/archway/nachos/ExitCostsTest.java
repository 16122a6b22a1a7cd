package archway.nachos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archway.spaces.mbv3.Mbv3Arch;
import archway.spaces.mbv3.Mbv3Count;
import archway.spaces.mbv3.Mbv3Space;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Per-exit MACs, the max-pool prepending rule and expected MACs against hand counts and batch averages. */
class ExitCostsTest {
    @Test
    void classifierMacsByHand() {
        // 40 channels at 8x8, pool 2 -> 4x4 (2*2 per pooled output): 4*40*16 + 9*40*32*16 + 9*32*64*16 + 9*64*128*16
        // + 128*16*11
        ExitClassifier head = new ExitClassifier(40, 8, 2, 10);
        assertEquals(4, head.pooledSize());
        assertEquals(4L * 40 * 16 + 9L * 40 * 32 * 16 + 9L * 32 * 64 * 16 + 9L * 64 * 128 * 16 + 128L * 16 * 11,
                head.macs());
        assertEquals(9L * 40 * 32 + 9L * 32 * 64 + 9L * 64 * 128 + 128L * 16 * 11 + 11, // convolutions without bias
                head.params());
        assertThrows(IllegalArgumentException.class, () -> new ExitClassifier(40, 2, 4, 10));
    }

    @Test
    void stageEndsFollowTheBackbone() {
        Mbv3Arch arch = Mbv3Arch.uniform(2, 3, 3);
        Mbv3Count.StageEnd[] ends = Mbv3Count.stageEnds(arch, 1, 32);
        int[] sizes = {8, 4, 2, 2, 1};   // stem 16, then strides 2, 2, 2, 1, 2
        long previous = 0;
        for (int s = 0; s < Mbv3Space.STAGES; s++) {
            assertEquals(Mbv3Space.WIDTHS[s], ends[s].channels());
            assertEquals(sizes[s], ends[s].size());
            assertTrue(ends[s].macs() > previous);
            previous = ends[s].macs();
        }
        // the last stage end plus the head (final expand, feature mix, classifier) is the whole network
        long head = 160L * 960 + 960L * 1280 + 1280L * 10;
        assertEquals(Mbv3Count.of(arch, 1, 32, 10).macs(), ends[4].macs() + head);
    }

    @Test
    void maxPoolIsPrependedWhileAnExitCostsAsMuchAsTheNext() {
        Mbv3Arch arch = Mbv3Arch.uniform(2, 3, 3);
        ExitPlacement placement = ExitPlacement.ofGenes(1, 1, 0, 1);
        ExitCosts costs = ExitCosts.of(arch, placement, 1, 64, 10);
        Mbv3Count.StageEnd[] ends = Mbv3Count.stageEnds(arch, 1, 64);
        double[] e = costs.perExit();
        assertEquals(4, costs.exits());
        assertEquals(Mbv3Count.of(arch, 1, 64, 10).macs(), e[3], 0);
        int[] stages = {0, 1, 3};
        for (int j = 2; j >= 0; j--) {
            Mbv3Count.StageEnd end = ends[stages[j]];
            int chosen = costs.heads()[j].pool();
            assertEquals(end.macs(), costs.backbone()[j]);
            // every smaller pool would cost at least as much as the next exit; the chosen one is cheaper
            // unless it is the largest allowed
            for (int k : ExitClassifier.POOLS) {
                if (k < chosen) {
                    assertTrue(end.macs() + new ExitClassifier(end.channels(), end.size(), k, 10).macs() >= e[j + 1]);
                }
            }
            boolean largest = chosen == 4 || end.size() / (chosen * 2) < 1;
            assertTrue(e[j] < e[j + 1] || largest, "exit " + j);
        }
        // the first exit at 16x16 with 24 channels: unpooled heads cost ~1e8 MACs, far more than the rest of the
        // small backbone, so it must be pooled
        assertTrue(costs.heads()[0].pool() > 1);
    }

    @Test
    void expectedMacsEqualsTheBatchAverageForFixedDecisions() {
        Mbv3Arch arch = Mbv3Arch.largest();
        ExitCosts costs = ExitCosts.of(arch, ExitPlacement.ofGenes(0, 1, 1, 1), 3, 32, 10);
        SplittableRandom random = new SplittableRandom(3);
        int[] decisions = new int[257];
        long spent = 0;    // exact per-sample bill: backbone up to the exit plus that exit's classifier
        for (int i = 0; i < decisions.length; i++) {
            decisions[i] = random.nextInt(costs.exits());
            spent += costs.backbone()[decisions[i]] + costs.classifier()[decisions[i]];
        }
        double rates[] = ExitScores.rates(decisions, costs.exits());
        assertEquals(spent / (double) decisions.length, costs.expected(rates), 1e-9 * spent);
        assertArrayEquals(new long[] {0}, new long[] {costs.classifier()[costs.exits() - 1]});
    }

    @Test
    void placementNeedsAnEarlyExit() {
        assertThrows(IllegalArgumentException.class, () -> ExitPlacement.ofGenes(0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ExitPlacement.ofGenes(0, 2, 0, 0));
        assertArrayEquals(new int[] {1, 3}, ExitPlacement.ofGenes(0, 1, 0, 1).stages());
    }
}
