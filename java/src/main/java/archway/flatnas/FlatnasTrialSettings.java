package archway.flatnas;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a FlatNAS trial needs besides its genes, budget and seed: the data, the training recipe (SGD with adaptive
 * SAM, cosine to 0), how flatness R and the corruption benchmark are measured, and the thread count (results are
 * bit-identical per thread count, so it is part of the spec). Travels as the spec's string settings, so a worker
 * rebuilds it from the spec alone.
 *
 * @param dataDir      where the dataset lives when it is not bundled (null: the default place)
 * @param sigma        relative weight-noise scale of R (spec: 0.05)
 * @param draws        noise draws M of R (spec: 20; fewer for quick runs)
 * @param testLimit    test images error and R are measured on (a seeded subset; 0 = the whole test split)
 * @param ood          whether this trial also measures the corruption benchmark (mCE)
 * @param oodLimit     test images the corruption benchmark uses (a seeded subset; 0 = the whole test split)
 * @param supernet     the trained supernet candidates start from (null: from their seeded initialisation)
 */
public record FlatnasTrialSettings(String dataset, String dataDir, int batch, int threads, double lr, double momentum,
                                   double weightDecay, double samRho, double sigma, int draws, int testLimit,
                                   boolean ood, int oodLimit, SupernetRef supernet) {
    /** The recipe of the spec: SGD lr 0.1, momentum 0.9, weight decay 5e-5, adaptive SAM rho 2.0. */
    public static final double LR = 0.1;
    public static final double MOMENTUM = 0.9;
    public static final double WEIGHT_DECAY = 5e-5;
    public static final double SAM_RHO = 2.0;
    public static final double SIGMA = 0.05;
    public static final int DRAWS = 20;
    /** The setting that switches the corruption benchmark on ("true") for a trial. */
    public static final String OOD = "ood";

    public FlatnasTrialSettings {
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException("a FlatNAS trial needs a dataset");
        }
        if (batch < 1 || threads < 1) {
            throw new IllegalArgumentException("batch and threads must be >= 1, got " + batch + ", " + threads);
        }
        if (!(lr > 0) || !Double.isFinite(lr) || momentum < 0 || momentum >= 1 || weightDecay < 0 || samRho < 0
                || !Double.isFinite(samRho)) {
            throw new IllegalArgumentException("bad FlatNAS recipe: lr " + lr + ", momentum " + momentum
                    + ", weight decay " + weightDecay + ", SAM rho " + samRho);
        }
        if (sigma < 0 || !Double.isFinite(sigma) || draws < 1 || testLimit < 0 || oodLimit < 0) {
            throw new IllegalArgumentException("bad FlatNAS measurement: sigma " + sigma + ", draws " + draws
                    + ", test images " + testLimit + ", OOD images " + oodLimit);
        }
    }

    /** The spec's recipe and measurements on {@code dataset}. */
    public static FlatnasTrialSettings standard(String dataset, String dataDir, int batch, int threads) {
        return new FlatnasTrialSettings(dataset, dataDir, batch, threads, LR, MOMENTUM, WEIGHT_DECAY, SAM_RHO, SIGMA,
                DRAWS, 0, false, 0, null);
    }

    public FlatnasTrialSettings withOod(boolean on) {
        return new FlatnasTrialSettings(dataset, dataDir, batch, threads, lr, momentum, weightDecay, samRho, sigma, draws,
                testLimit, on, oodLimit, supernet);
    }

    /** The same settings with candidates starting from {@code ref} (null: from scratch). */
    public FlatnasTrialSettings withSupernet(SupernetRef ref) {
        return new FlatnasTrialSettings(dataset, dataDir, batch, threads, lr, momentum, weightDecay, samRho, sigma, draws,
                testLimit, ood, oodLimit, ref);
    }

    /** The settings as a spec carries them. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        if (dataDir != null) {
            m.put("data_dir", dataDir);
        }
        m.put("batch", Integer.toString(batch));
        m.put("threads", Integer.toString(threads));
        m.put("lr", Double.toString(lr));
        m.put("momentum", Double.toString(momentum));
        m.put("weight_decay", Double.toString(weightDecay));
        m.put("sam_rho", Double.toString(samRho));
        m.put("sigma", Double.toString(sigma));
        m.put("draws", Integer.toString(draws));
        m.put("test_limit", Integer.toString(testLimit));
        m.put(OOD, Boolean.toString(ood));
        m.put("ood_limit", Integer.toString(oodLimit));
        if (supernet != null) {
            supernet.putInto(m);
        }
        return m;
    }

    /** The settings a spec carries; a missing or malformed one is an {@link IllegalArgumentException} naming it. */
    public static FlatnasTrialSettings from(Map<String, String> s) {
        return new FlatnasTrialSettings(text(s, "dataset"), s.get("data_dir"), integer(s, "batch"), integer(s, "threads"),
                real(s, "lr"), real(s, "momentum"), real(s, "weight_decay"), real(s, "sam_rho"), real(s, "sigma"),
                integer(s, "draws"), integer(s, "test_limit"), bool(s, OOD), integer(s, "ood_limit"),
                SupernetRef.from(s));
    }

    private static String text(Map<String, String> s, String name) {
        String v = s.get(name);
        if (v == null) {
            throw new IllegalArgumentException("FlatNAS trial without setting '" + name + "'");
        }
        return v;
    }

    private static int integer(Map<String, String> s, String name) {
        try {
            return Integer.parseInt(text(s, name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("FlatNAS trial setting '" + name + "' is not an integer: " + s.get(name));
        }
    }

    private static double real(Map<String, String> s, String name) {
        try {
            return Double.parseDouble(text(s, name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("FlatNAS trial setting '" + name + "' is not a number: " + s.get(name));
        }
    }

    private static boolean bool(Map<String, String> s, String name) {
        String v = text(s, name);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("FlatNAS trial setting '" + name + "' is not true or false: " + v);
        }
        return Boolean.parseBoolean(v);
    }
}
