package archway.cli;

import archway.UserError;
import archway.cluster.ClusterAddress;
import archway.cluster.ClusterMembers;
import archway.cluster.ClusterOptions;
import archway.cluster.ClusterRole;
import archway.cluster.ClusterWorker;
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
                "First worker (its own address):  nas worker --join 10.0.0.1:5701 --bind 10.0.0.1 --port 5701 "
                + "More workers:                    nas worker --join 10.0.0.1:5701 --bind 10.0.0.2 --slots 2 "
                + "Every member needs the same --cluster-name and secret ($ARCHWAY_CLUSTER_SECRET).", ""})
final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--join", required = true, paramLabel = "HOST:PORT",
            description = "A member of the cluster to join; the first worker gives its own address.")
    String join;
    @Option(names = "--port", description = "Port to listen on (default 5701, or the next free one).")
    Integer port;
    @Option(names = "--bind", defaultValue = ClusterOptions.DEFAULT_BIND, paramLabel = "ADDR",
            description = "IP address of the interface to listen on (default ${DEFAULT-VALUE}: this machine only).")
    String bind;
    @Option(names = "--slots", description = "Trials run at a time (default 1 on the CPU, one per GPU with --device cuda).")
    Integer slots;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu | cuda (default ${DEFAULT-VALUE}).")
    String device;
    @Option(names = "--gpus", split = ",", paramLabel = "I", description = "With --device cuda: the GPU indices to use, one slot each (e.g. 0,1).")
    List<Integer> gpus;
    @CommandLine.Mixin
    ClusterSecretOptions secret = new ClusterSecretOptions();

    @Override
    public Integer call() throws InterruptedException {
        int trialSlots = slots();
        ClusterOptions o = ClusterOptions.of(ClusterAddress.parse(join, "--join"), bind, port, secret.name, secret.secret);
        HazelcastInstance hz = ClusterMembers.start(o, ClusterRole.WORKER);
        ClusterWorker worker = new ClusterWorker(hz, TrialProblems.builtIn(), trialSlots, device, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "worker-shutdown"));
        worker.start();
        System.out.printf("worker %s: in cluster '%s' with %d member(s); %d slot(s) on %s; waiting for trials%n",
                worker.name(), o.name(), hz.getCluster().getMembers().size(), trialSlots, device);
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
            case "cuda" -> throw new UserError("--device cuda: trials do not run on CUDA yet (a trial chooses no "
                    + "device); use --device cpu");
            default -> throw new UserError("--device must be cpu or cuda, got '" + device + "'");
        }
    }
}
