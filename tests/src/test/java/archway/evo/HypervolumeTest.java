package archway.evo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Hypervolume against areas and volumes computed by hand. */
class HypervolumeTest {
    @Test
    void staircaseInTwoDimensions() {
        // (1,3) (2,2) (3,1) against (4,4): columns [1,2] x 1, [2,3] x 2, [3,4] x 3 -> 6
        assertEquals(6.0, Hypervolume.of(new double[][] {{1, 3}, {2, 2}, {3, 1}}, new double[] {4, 4}), 1e-12);
    }

    @Test
    void dominatedAndOutsidePointsAddNothing() {
        double[][] points = {{1, 3}, {2, 2}, {3, 1}, {3, 3}, {5, 0}, {0, 4}};
        assertEquals(6.0, Hypervolume.of(points, new double[] {4, 4}), 1e-12);
        assertEquals(0.0, Hypervolume.of(new double[][] {{4, 1}}, new double[] {4, 4}), 0);
    }

    @Test
    void singlePointIsItsBox() {
        assertEquals(2.5 * 0.5, Hypervolume.of(new double[][] {{1.5, 3.5}}, new double[] {4, 4}), 1e-12);
        assertEquals(1 * 2 * 3, Hypervolume.of(new double[][] {{1, 1, 1}}, new double[] {2, 3, 4}), 1e-12);
    }

    @Test
    void twoOverlappingBoxesInThreeDimensions() {
        // boxes 1 x 0.5 x 1 and 0.5 x 1 x 1 overlap in 0.5 x 0.5 x 1 -> 0.75
        double[][] points = {{0, 0.5, 0}, {0.5, 0, 0}};
        assertEquals(0.75, Hypervolume.of(points, new double[] {1, 1, 1}), 1e-12);
    }
}
