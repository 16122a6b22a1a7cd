package example;

import archway.nb201.Nb201Arch;
import archway.nb201.Nb201Dataset;
import archway.nb201.Nb201Table;

/** Looking architectures up in the bundled NAS-Bench-201 table. */
public final class TableExample {
    private TableExample() {
    }

    /** The most accurate cell on CIFAR-10, with its accuracies printed per dataset. */
    public static Nb201Arch bestOnCifar10() {
        // README:table
        Nb201Table table = Nb201Table.loadDefault();          // bundled: 15,625 architectures
        int best = table.bestIndex(Nb201Dataset.CIFAR10);    // benchmark index
        Nb201Arch arch = table.arch(best);                   // arch.toBenchmarkString(): |nor_conv_3x3~0|+|...
        for (Nb201Dataset d : Nb201Dataset.values()) {       // test accuracy (%) after 200 epochs
            System.out.printf("%s %.2f%%%n", d.label(), table.accuracy(d, best));
        }
        // README:end
        return arch;
    }
}
