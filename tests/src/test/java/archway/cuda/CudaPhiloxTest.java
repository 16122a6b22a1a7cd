package archway.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import archway.bindings.cpu.RandomKernels;
import archway.bindings.cuda.CudaLibrary;
import archway.bindings.cuda.CudaPhilox;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * CUDA vs CPU (the ggml/llm.c pattern): the GPU's Philox streams must equal the CPU's bit for bit,
 * since both compile archway/math/philox.h. Runs only where a CUDA device is usable; elsewhere every
 * test is skipped with the runtime's own reason (e.g. "CUDA driver version is insufficient...").
 */
class CudaPhiloxTest {
    /** Skips the calling test, visibly and with the runtime's reason, when no CUDA device is usable. */
    static void needsDevice() {
        CudaLibrary.Discovery d = CudaLibrary.discover();
        assumeTrue(!d.devices().isEmpty(), "no CUDA device: " + d.whyNone());
    }

    private static void compare(boolean normal) {
        needsDevice();
        int n = 1 << 20;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cpu = a.allocate((long) n * Float.BYTES), gpu = a.allocate((long) n * Float.BYTES);
            if (normal) {
                RandomKernels.normal(cpu, n, 0xC0FFEEL, 5, 9);
            } else {
                RandomKernels.uniform(cpu, n, 0xC0FFEEL, 5, 9);
            }
            CudaPhilox.generate(gpu, n, 0xC0FFEEL, 5, 9, normal);
            int mismatches = 0;
            float worst = 0;
            for (int i = 0; i < n; i++) {
                float c = cpu.getAtIndex(ValueLayout.JAVA_FLOAT, i), g = gpu.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                if (Float.floatToRawIntBits(c) != Float.floatToRawIntBits(g)) {
                    mismatches++;
                    worst = Math.max(worst, Math.abs(c - g));
                }
            }
            // Uniforms are integer arithmetic: bit-identical. Normals go through logf/sinf/cosf, whose
            // device versions may differ from glibc's in the last bit, so allow 2 ulp-scale differences.
            if (normal) {
                assertEquals(0, worst, 1e-5, "largest CPU/GPU difference of normals");
            } else {
                assertEquals(0, mismatches, "uniform stream differs in " + mismatches + " of " + n + " elements");
            }
        }
    }

    @Test
    void uniformStreamsAreBitIdentical() {
        compare(false);
    }

    @Test
    void normalStreamsAgree() {
        compare(true);
    }
}
