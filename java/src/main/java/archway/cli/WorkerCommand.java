package archway.cli;

import archway.UserError;
import archway.cluster.ClusterAddress;
import archway.cluster.ClusterMembers;
import archway.cluster.ClusterOptions;
import archway.cluster.ClusterRole;
import archway.cluster.ClusterWorker;
import archway.runtime.Backend;
import archway.runtime.Backends;
import archway.runtime.DeviceChoice;
import archway.trial.DeviceBoundEvaluator;
import archway.trial.TrialProblems;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nas worker}: a cluster member that pulls trials and runs them. */
@Command(name = "worker", header = "Join (or start) a cluster of trial workers and run trials until stopped.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Join (or start) a cluster of trial workers and run trials until stopped. "
                + "Ctrl-C hands the running trials back to the queue. Each slot pulls the next trial when it is free. Coordinators submit trials "
                + "with --cluster HOST:PORT (nas retrain --seeds ... --cluster).",
                "",
                "Example: first worker (its own address):  nas worker --join 10.0.0.1:5701 --bind 10.0.0.1 --port 5701",
                "         more workers:                    nas worker --join 10.0.0.1:5701 --bind 10.0.0.2 --slots 2",
                "         a worker on GPU 1:               nas worker --join 10.0.0.1:5701 --bind 10.0.0.3 --device cuda \\",
                "                                            --gpus 1",
                "Every member needs the same --cluster-name and secret ($ARCHWAY_CLUSTER_SECRET).", ""})
final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--join", required = true, paramLabel = "HOST:PORT",
            description = "A member of the cluster to join; the first worker gives its own address.")
    String join;
    @Option(names = "--port", description = "Port to listen on (default 5701, or the next free one).")
    Integer port;
    @Option(names = "--bind", defaultValue = ClusterOptions.DEFAULT_BIND, paramLabel = "ADDR",
            description = "IP address of the interface to listen on (default ${DEFAULT-VALUE}: this machine only).")
    String bind;
    @Option(names = "--slots", description = "Trials run at a time (default 1; with --device cuda exactly 1).")
    Integer slots;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu | cuda (default ${DEFAULT-VALUE}). With cuda the "
            + "worker trains its trials on one GPU, one at a time (unverified on hardware for trials; README: Running on "
            + "a GPU).")
    String device;
    @Option(names = "--gpus", split = ",", paramLabel = "I", description = "With --device cuda: the GPU to use (default "
            + "0). One GPU per worker process: run one worker per GPU.")
    List<Integer> gpus;
    @CommandLine.Mixin
    ClusterSecretOptions secret = new ClusterSecretOptions();

    @Override
    public Integer call() throws InterruptedException {
        int trialSlots = slots();
        Backend backend = Backends.select(deviceChoice());
        ClusterOptions o = ClusterOptions.of(ClusterAddress.parse(join, "--join"), bind, port, secret.name, secret.secret);
        HazelcastInstance hz = ClusterMembers.start(o, ClusterRole.WORKER);
        ClusterWorker worker = new ClusterWorker(hz, new DeviceBoundEvaluator(TrialProblems.builtIn(), backend),
                trialSlots, backend.name(), System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "worker-shutdown"));
        worker.start();
        System.out.printf("worker %s: in cluster '%s' with %d member(s); %d slot(s) on %s; waiting for trials%n",
                worker.name(), o.name(), hz.getCluster().getMembers().size(), trialSlots, backend.name());
        worker.awaitShutdown();
        System.out.printf("worker %s: left the cluster%n", worker.name());
        return 0;
    }

    private int slots() {
        if (slots != null && slots < 1) {
            throw new UserError("--slots must be >= 1, got " + slots);
        }
        switch (device) {
            case "cpu" -> {
                if (gpus != null) {
                    throw new UserError("--gpus needs --device cuda");
                }
                return slots == null ? 1 : slots;
            }
            case "cuda" -> {
                if (slots != null && slots != 1) {
                    throw new UserError("--device cuda runs one trial at a time on its GPU: leave --slots out (run one "
                            + "worker per GPU)");
                }
                if (gpus != null && gpus.size() != 1) {
                    throw new UserError("--gpus takes one GPU per worker process (a trial uses the process's device): "
                            + "run one nas worker per GPU, e.g. --gpus 0 and --gpus 1");
                }
                return 1;
            }
            default -> throw new UserError("--device must be cpu or cuda, got '" + device + "'"
                    + (device.startsWith("cuda:") ? " (a worker takes its GPU with --gpus: --device cuda --gpus "
                    + device.substring("cuda:".length()) + ")" : ""));
        }
    }

    /** The device trials run on: the CPU, or the one GPU --gpus names (0 by default). */
    private DeviceChoice deviceChoice() {
        if ("cpu".equals(device)) {
            return DeviceChoice.CPU;
        }
        int index = gpus == null ? 0 : gpus.get(0);
        if (index < 0) {
            throw new UserError("--gpus: a GPU index is >= 0, got " + index);
        }
        return new DeviceChoice(DeviceChoice.Kind.CUDA, index);
    }
}
