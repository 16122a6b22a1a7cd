package archway.flatnas;

import archway.evo.Nsga2;
import archway.evo.SearchSettings;
import archway.runtime.Backends;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that decides a FlatNAS search's result (docs/FLATNAS.md): the data and the trial recipe
 * ({@link FlatnasTrialSettings}), the parameter limit and alpha of the objectives, the surrogate loop's sizes, the
 * trial budget, which members get the corruption benchmark, and the seed. Where trials run (slots, a cluster) is not
 * part of it: it does not change the result, so a run may be resumed elsewhere.
 *
 * @param trainLimit training images per trial (a seeded subset; 0 = all)
 * @param ood        which members get the corruption benchmark
 */
public record FlatnasSearchConfig(FlatnasTrialSettings trial, long paramsMax, double alpha, int iterations, int initial,
                                  int candidates, int patience, int trialEpochs, int trainLimit, OodMembers ood,
                                  long seed) {
    /** Who is measured on the corrupted test images. */
    public enum OodMembers {
        /** The final front's members, by one extra trial each (the spec). */
        FRONT,
        /** Every evaluated candidate, inside its own trial (costlier; a larger sample for R against mCE). */
        ALL;

        public String cliName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static OodMembers parse(String s) {
            for (OodMembers m : values()) {
                if (m.cliName().equals(s)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("--ood-members must be front or all, got '" + s + "'");
        }
    }

    public FlatnasSearchConfig {
        if (paramsMax < 1) {
            throw new IllegalArgumentException("--params-max must be positive, got " + paramsMax);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("--alpha must be in [0, 1], got " + alpha);
        }
        if (trialEpochs < 1) {
            throw new IllegalArgumentException("--trial-epochs must be >= 1, got " + trialEpochs);
        }
        if (trainLimit < 0) {
            throw new IllegalArgumentException("--train-limit must be >= 0, got " + trainLimit);
        }
        if (initial < 2 || iterations < 0 || candidates < 1 || patience < 1) {
            throw new IllegalArgumentException("need --initial >= 2, --iterations >= 0, --candidates >= 1 and "
                    + "--patience >= 1; got " + initial + ", " + iterations + ", " + candidates + ", " + patience);
        }
    }

    /** The surrogate loop's settings (NSGA-II as the spec: population 40, 20 generations). */
    public SearchSettings settings() {
        return new SearchSettings(initial, iterations, candidates, Nsga2.Settings.DEFAULT, patience, seed);
    }

    /** The settings every candidate's trial carries. */
    public FlatnasTrialSettings candidateTrial() {
        return trial.withOod(ood == OodMembers.ALL);
    }

    /** config.json: the flags that decide the result. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "search");
        m.put("algo", "flatnas");
        m.put("space", "mbv3");
        m.put("dataset", trial.dataset());
        m.put("data_dir", trial.dataDir());
        m.put("params_max", paramsMax);
        m.put("alpha", alpha);
        m.put("iterations", iterations);
        m.put("initial", initial);
        m.put("candidates", candidates);
        m.put("patience", patience);
        m.put("nsga2", Nsga2.Settings.DEFAULT);
        m.put("trial_epochs", trialEpochs);
        m.put("train_limit", trainLimit);
        m.put("seed", seed);
        m.put("batch", trial.batch());
        m.put("threads", trial.threads());
        m.put("lr", trial.lr());
        m.put("momentum", trial.momentum());
        m.put("weight_decay", trial.weightDecay());
        m.put("optimizer", "sgd + adaptive sam");
        m.put("sam_rho", trial.samRho());
        m.put("flatness_sigma", trial.sigma());
        m.put("flatness_draws", trial.draws());
        m.put("test_limit", trial.testLimit());
        m.put("ood_members", ood.cliName());
        m.put("ood_limit", trial.oodLimit());
        // Trials here on a device give other numbers than on the CPU, so a resume must use the same device. A CPU
        // run's config stays as earlier versions wrote it (those runs still resume); a coordinator of cluster
        // trials is on the CPU and its workers choose their own devices.
        String device = Backends.standard().name();
        if (!"cpu".equals(device)) {
            m.put("device", device);
        }
        if (trial.supernet() == null) {
            m.put("initial_weights", "fresh (seeded)");
        } else {
            m.put("initial_weights", "supernet");
            m.put("supernet", trial.supernet().dir());
            m.put("supernet_id", trial.supernet().identity());
        }
        return m;
    }
}
