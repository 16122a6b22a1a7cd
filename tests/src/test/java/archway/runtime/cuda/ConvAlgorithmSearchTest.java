package archway.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import archway.runtime.ConvShape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The -Darchway.cuda.conv.algo switch, and that its two searches never share a cached choice. */
class ConvAlgorithmSearchTest {
    @AfterEach
    void clear() {
        System.clearProperty(ConvAlgorithmSearch.PROPERTY);
    }

    @Test
    void heuristicByDefaultFindOnRequestAndOneLineOtherwise() {
        assertEquals(ConvAlgorithmSearch.HEURISTIC, ConvAlgorithmSearch.configured());
        System.setProperty(ConvAlgorithmSearch.PROPERTY, "find");
        assertEquals(ConvAlgorithmSearch.TIMED, ConvAlgorithmSearch.configured());
        System.setProperty(ConvAlgorithmSearch.PROPERTY, "fastest");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ConvAlgorithmSearch::configured);
        assertEquals("-Darchway.cuda.conv.algo must be heuristic or find, got 'fastest'", e.getMessage());
    }

    @Test
    void aMalformedValueIsOneUserErrorLineWhenTheBackendOpens() {
        System.setProperty(ConvAlgorithmSearch.PROPERTY, "fastest");
        archway.UserError e = assertThrows(archway.UserError.class, () -> CudaBackend.open(0));
        assertEquals("-Darchway.cuda.conv.algo must be heuristic or find, got 'fastest'", e.getMessage());
    }

    @Test
    void theTwoSearchesAreCachedApart() {
        ConvDescriptor d = ConvDescriptor.of(new ConvShape(64, 16, 32, 32, 16, 3, 1, 1, 1, 1));
        AlgorithmKey heuristic = new AlgorithmKey(d, ConvPass.FORWARD);
        AlgorithmKey timed = new AlgorithmKey(d, ConvPass.FORWARD, ConvAlgorithmSearch.TIMED);
        assertEquals(new AlgorithmKey(d, ConvPass.FORWARD, ConvAlgorithmSearch.HEURISTIC), heuristic);
        assertNotEquals(heuristic, timed);
        AlgorithmCache cache = new AlgorithmCache();
        assertEquals(1, cache.get(heuristic, k -> new ConvAlgorithm(1, 0)).algo());
        assertEquals(7, cache.get(timed, k -> new ConvAlgorithm(7, 4096)).algo());
        assertEquals(2, cache.searches());
    }
}
