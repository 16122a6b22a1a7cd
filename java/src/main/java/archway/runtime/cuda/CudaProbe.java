package archway.runtime.cuda;

import archway.bindings.cuda.CudaLibrary;
import java.util.Optional;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;

/**
 * Finds out, once, whether a CUDA device can run the backend: the CUDA runtime (libcudart), a driver
 * and the device, cuBLAS, cuDNN (all through the JavaCPP presets, whose JNI wrappers need the NVIDIA
 * libraries installed on the machine), and our own kernel library. The first thing missing is the
 * answer, as one line naming the library looked for and the error it gave.
 */
public final class CudaProbe {
    /** The libraries in the order they are needed, with the file names the presets look for. */
    enum Library {
        CUDART("libcudart.so.13 (CUDA runtime)", cudart.class),
        CUBLAS("libcublas.so.13 (cuBLAS)", cublas.class),
        CUDNN("libcudnn.so.9 (cuDNN)", cudnn.class);

        final String file;
        final Class<?> presets;

        Library(String file, Class<?> presets) {
            this.file = file;
            this.presets = presets;
        }
    }

    private CudaProbe() {
    }

    /** The first answer per device: a failed native load is not retried (a retry reports less). */
    private static final java.util.Map<Integer, Optional<String>> ANSWERS = new java.util.HashMap<>();

    /** Why device {@code index} cannot be used, or empty when it can. Never throws. */
    public static synchronized Optional<String> whyUnavailable(int index) {
        return ANSWERS.computeIfAbsent(index, CudaProbe::probe);
    }

    private static Optional<String> probe(int index) {
        Optional<String> missing = load(Library.CUDART);
        if (missing.isPresent()) {
            return missing;
        }
        try {
            IntPointer count = new IntPointer(1);
            int status = cudart.cudaGetDeviceCount(count);
            if (status != cudart.cudaSuccess) {
                return Optional.of(deviceError(status, cudart.cudaGetErrorString(status).getString()));
            }
            if (index >= count.get()) {
                return Optional.of(noSuchDevice(index, count.get()));
            }
        } catch (LinkageError | RuntimeException e) {
            return Optional.of(libraryError(Library.CUDART.file, e));
        }
        for (Library lib : new Library[] {Library.CUBLAS, Library.CUDNN}) {
            missing = load(lib);
            if (missing.isPresent()) {
                return missing;
            }
        }
        if (!CudaLibrary.loaded()) {
            return Optional.of("libarchway_cuda (Archway's CUDA kernels) is not built or not loadable: build with nvcc "
                    + "on PATH (make -C cuda-kernels)");
        }
        return Optional.empty();
    }

    private static Optional<String> load(Library lib) {
        try {
            Loader.load(lib.presets);
            return Optional.empty();
        } catch (LinkageError | RuntimeException e) {
            return Optional.of(libraryError(lib.file, e));
        }
    }

    /** "could not load LIB: first line of the loader's error". */
    static String libraryError(String library, Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int nl = msg.indexOf('\n');
        String line = (nl < 0 ? msg : msg.substring(0, nl)).strip();
        // The presets' JNI wrappers link the driver library directly: its absence means no NVIDIA driver.
        String driver = line.contains("libcuda.so") ? "no NVIDIA driver (libcuda.so.1 not found); " : "";
        return driver + "could not load " + library + ": " + line;
    }

    /** The driver's answer when cudaGetDeviceCount fails (no driver, driver too old, no device). */
    static String deviceError(int status, String errorString) {
        return "CUDA driver: cudaGetDeviceCount failed with error " + status + " (" + errorString + ")";
    }

    static String noSuchDevice(int index, int count) {
        return "no CUDA device " + index + " (the driver reports " + count + " device" + (count == 1 ? "" : "s") + ")";
    }
}
