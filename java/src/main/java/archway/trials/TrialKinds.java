package archway.trials;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trial kinds this build can evaluate, by name. A worker looks every trial's kind up here; a trial of a
 * kind it does not know fails with a message naming the kinds it does know (e.g. a worker of an older build).
 */
public final class TrialKinds {
    private final Map<String, TrialKind> byName = new TreeMap<>();

    public TrialKinds(List<TrialKind> kinds) {
        for (TrialKind k : kinds) {
            if (byName.put(k.name(), k) != null) {
                throw new IllegalArgumentException("two trial kinds named " + k.name());
            }
        }
    }

    /** Every kind of this build. */
    public static TrialKinds builtIn() {
        return new TrialKinds(List.of(new TrainTrial()));
    }

    public TrialKind get(String name) {
        TrialKind k = byName.get(name);
        if (k == null) {
            throw new IllegalArgumentException("unknown trial kind '" + name + "' (this build knows " + byName.keySet() + ")");
        }
        return k;
    }

    /** Evaluates one trial with the kind it names. */
    public String evaluate(TrialTask task, TrialSlot slot) throws Exception {
        return get(task.kind()).evaluate(task.spec(), slot);
    }
}
