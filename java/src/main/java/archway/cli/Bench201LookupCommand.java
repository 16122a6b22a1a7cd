package archway.cli;

import archway.landscape.LandscapeJson;
import archway.nb201.Nb201Arch;
import archway.nb201.Nb201Dataset;
import archway.nb201.Nb201Table;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nas bench201 lookup ARCH}: one architecture's row of the table. */
@Command(name = "lookup", header = "Print one architecture's index, accuracies and isomorphic twins.",
        mixinStandardHelpOptions = true,
        description = {"Print an architecture's benchmark index, test accuracies on the three datasets, "
                + "unique (isomorphism) string and how many other architectures share it (isomorphic twins)."})
final class Bench201LookupCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ARCH", description = {"A benchmark string '|op~0|+|op~0|op~1|+|op~0|op~1|op~2|', "
            + "an index 0..15624, or six op digits in edge order (0 none, 1 skip_connect, 2 nor_conv_1x1, "
            + "3 nor_conv_3x3, 4 avg_pool_3x3; edges 1<-0 2<-0 2<-1 3<-0 3<-1 3<-2), e.g. 333313."})
    String arch;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Mixin
    Bench201TableOption tableOption;

    @Override
    public Integer call() {
        Nb201Table t = tableOption.load();
        int i = Bench201Args.find(t, arch, "ARCH");
        Nb201Arch a = t.arch(i);
        int[] twins = t.twins(i);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", i);
            m.put("arch", a.toBenchmarkString());
            m.put("digits", a.toDigits());
            Map<String, Double> acc = new LinkedHashMap<>();
            for (Nb201Dataset d : Nb201Dataset.values()) {
                acc.put(d.id(), t.accuracy(d, i));
            }
            m.put("testAccuracy", acc);
            m.put("uniqueString", t.uniqueString(i));
            m.put("isomorphicTwins", twins.length);
            m.put("twinIndices", twins);
            System.out.println(LandscapeJson.toJson(m));
            return 0;
        }
        System.out.printf("index             %d%n", i);
        System.out.printf("architecture      %s%n", a.toBenchmarkString());
        System.out.printf("op digits         %s%n", a.toDigits());
        for (Nb201Dataset d : Nb201Dataset.values()) {
            System.out.printf("%-17s %.2f%%%n", d.id(), t.accuracy(d, i));
        }
        System.out.printf("unique string     %s%n", t.uniqueString(i));
        String list = Arrays.stream(twins).limit(10).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        System.out.printf("isomorphic twins  %d%s%n", twins.length,
                twins.length == 0 ? "" : " (" + list + (twins.length > 10 ? ", ..." : "") + ")");
        return 0;
    }
}
