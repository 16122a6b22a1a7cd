package archway.supernet;

import archway.data.EvalBatches;
import archway.spaces.mbv3.Mbv3Arch;
import archway.train.BatchNormCalibration;
import archway.train.Evaluator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test accuracy of a subnet taken from the supernet as it stands: its slices of the weights, batch-norm
 * statistics recalibrated on training images, then evaluated (EVAL mode) on a test set.
 *
 * @param accuracy test accuracy in percent
 */
public record SubnetAccuracy(Mbv3Arch arch, double accuracy, double loss, long params, long macs) {
    /** Measures {@code subnet} with its weights pulled from {@code weights} (the supernet's, on the host). */
    public static SubnetAccuracy measure(Subnet subnet, float[] weights, EvalBatches calibration, EvalBatches test) {
        subnet.pullWeights(weights);
        BatchNormCalibration.recalibrate(subnet.network(), calibration);
        Evaluator.Result r = Evaluator.evaluate(subnet.network(), test);
        return new SubnetAccuracy(subnet.arch(), r.accuracy(), r.loss(), subnet.network().params().weightCount(),
                subnet.network().macsPerSample());
    }

    /** Measures {@code arch} in a subnet made for the purpose and closed again. */
    public static SubnetAccuracy measure(Mbv3Supernet supernet, Mbv3Arch arch, EvalBatches calibration, EvalBatches test) {
        try (Subnet s = supernet.subnet(arch)) {
            return measure(s, supernet.hostWeights(), calibration, test);
        }
    }

    /** As written to result.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("arch", arch.toString());
        m.put("test_accuracy", accuracy);
        m.put("test_loss", loss);
        m.put("params", params);
        m.put("macs", macs);
        return m;
    }
}
