package archway.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import archway.CliRun;
import archway.UserError;
import archway.runtime.Backends;
import archway.runtime.DeviceChoice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --device}: parsing, user errors for bad values, and on a machine without a usable GPU (CI, and
 * the machine this backend was written on) the real path: one error line naming what is missing, exit 2.
 */
class DeviceOptionTest {
    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @AfterEach
    void backToCpu() {
        Backends.reset();
    }

    @Test
    void parsesTheAcceptedForms() {
        assertEquals(DeviceChoice.CPU, DeviceChoice.parse("cpu"));
        assertEquals(new DeviceChoice(DeviceChoice.Kind.CUDA, 0), DeviceChoice.parse("cuda"));
        assertEquals(new DeviceChoice(DeviceChoice.Kind.CUDA, 3), DeviceChoice.parse("cuda:3"));
        assertEquals("cuda:3", DeviceChoice.parse("cuda:3").toString());
        assertEquals("cpu", DeviceChoice.parse("cpu").toString());
        for (String bad : new String[] {"tpu", "cuda:x", "cuda:", "cuda:-1", "CUDA", "cpu:0", "cuda:1:2", "", "cuda:99999"}) {
            UserError e = assertThrows(UserError.class, () -> DeviceChoice.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("unknown --device '" + bad + "'"), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tpu", "cuda:x"})
    void badDeviceStringsAreUserErrors(String device) {
        CliRun r = run("bench", "step", "--device", device, "--steps", "1");
        assertEquals(2, r.code(), r.err());
        assertEquals("error: unknown --device '" + device + "' (known: cpu, cuda, cuda:N with N a device index)",
                r.err().strip());
    }

    @Test
    void withoutAGpuEachCommandPrintsOneLineNamingWhatIsMissing() {
        assumeTrue(CudaProbe.whyUnavailable(0).isPresent(), "a usable CUDA device is present: the error path does not apply");
        String why = CudaProbe.whyUnavailable(0).orElseThrow();
        String[][] commands = {
            {"bench", "step", "--device", "cuda", "--steps", "1", "--warmup", "0", "--batch", "2"},
            {"search", "--device", "cuda", "--epochs", "1"},
            {"train", "--device", "cuda:0", "--genotype", "checked-after-the-device", "--epochs", "1"},
            {"search", "--algo", "flatnas", "--space", "mbv3", "--device", "cuda", "--iterations", "0"},
            {"search", "--algo", "nachos", "--space", "mbv3", "--macs-max", "1e6", "--device", "cuda"},
            {"worker", "--join", "127.0.0.1:1", "--device", "cuda"},
            {"retrain", "--arch", "333313", "--device", "cuda", "--epochs", "1"},
            {"bench", "train", "--device", "cuda", "--steps", "1", "--warmup", "0"},
        };
        for (String[] cmd : commands) {
            CliRun r = run(cmd);
            assertEquals(2, r.code(), String.join(" ", cmd) + ": " + r.err());
            String err = r.err().strip();
            assertEquals(1, err.lines().count(), String.join(" ", cmd) + ": " + err);
            assertEquals("error: --device cuda:0 is not usable: " + why, err);
            assertTrue(err.matches(".*(libcuda\\.so|libcudart|libcublas|libcudnn|libarchway_cuda|CUDA driver|no CUDA device).*"),
                    err);
        }
        assertEquals("cpu", Backends.standard().name(), "a failed selection leaves the CPU backend in place");
    }

    /** Checked before any device is opened, so the same on every machine. */
    @Test
    void evolutionaryTrialsOnAGpuRunOneAtATimeAndWorkersTakeOneGpuEach() {
        String[][] refused = {
            {"search", "--algo", "flatnas", "--space", "mbv3", "--device", "cuda", "--slots", "2"},
            {"search", "--algo", "flatnas", "--space", "mbv3", "--device", "cuda", "--cluster", "127.0.0.1:1"},
            {"search", "--algo", "nachos", "--space", "mbv3", "--macs-max", "1e6", "--device", "cuda:1", "--cluster",
                "127.0.0.1:1"},
            {"worker", "--join", "127.0.0.1:1", "--device", "cuda", "--gpus", "0,1"},
            {"worker", "--join", "127.0.0.1:1", "--device", "cuda", "--slots", "2"},
            {"worker", "--join", "127.0.0.1:1", "--gpus", "1"},
            {"retrain", "--arch", "333313", "--device", "cuda", "--slots", "2"},
        };
        String[] says = {
            "error: --device cuda:0 runs one trial at a time: leave --slots out",
            "error: --device: with --cluster the trials run on the workers, and each worker chooses its own device",
            "error: --device: with --cluster the trials run on the workers",
            "error: --gpus takes one GPU per worker process",
            "error: --device cuda runs one trial at a time on its GPU: leave --slots out",
            "error: --gpus needs --device cuda",
            "error: --device cuda:0 runs one trial at a time: leave --slots out",
        };
        for (int i = 0; i < refused.length; i++) {
            CliRun r = run(refused[i]);
            String err = r.err().strip();
            assertEquals(2, r.code(), String.join(" ", refused[i]) + ": " + err);
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.startsWith(says[i]), String.join(" ", refused[i]) + ": " + err);
        }
        assertEquals("cpu", Backends.standard().name());
    }
}
