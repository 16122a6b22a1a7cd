package archway.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The one-line reasons the probe gives: library and loader error (first line, root cause), driver, device. */
class CudaProbeTest {
    @Test
    void libraryErrorNamesTheLibraryAndTheRootCausesFirstLine() {
        Throwable e = new ExceptionInInitializerError(new UnsatisfiedLinkError("libcudnn.so.9: cannot open shared object file\n"
                + "  at somewhere"));
        assertEquals("could not load libcudnn.so.9 (cuDNN): libcudnn.so.9: cannot open shared object file",
                CudaProbe.libraryError("libcudnn.so.9 (cuDNN)", e));
    }

    @Test
    void aMissingDriverLibraryIsNamedAsTheDriver() {
        String s = CudaProbe.libraryError("libcudart.so.13 (CUDA runtime)",
                new UnsatisfiedLinkError("/tmp/libjnicudart.so: libcuda.so.1: cannot open shared object file"));
        assertEquals("no NVIDIA driver (libcuda.so.1 not found); could not load libcudart.so.13 (CUDA runtime): "
                + "/tmp/libjnicudart.so: libcuda.so.1: cannot open shared object file", s);
    }

    @Test
    void driverAndDeviceMessages() {
        assertEquals("CUDA driver: cudaGetDeviceCount failed with error 35 (CUDA driver version is insufficient)",
                CudaProbe.deviceError(35, "CUDA driver version is insufficient"));
        assertEquals("no CUDA device 2 (the driver reports 1 device)", CudaProbe.noSuchDevice(2, 1));
        assertEquals("no CUDA device 3 (the driver reports 2 devices)", CudaProbe.noSuchDevice(3, 2));
    }
}
