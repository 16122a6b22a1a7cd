package archway.landscape;

import archway.nb201.Nb201Arch;
import archway.nb201.Nb201Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntToDoubleFunction;

/** Writes a complete, valid NB201 table whose CIFAR-10 accuracy is a chosen function of the architecture. */
final class SyntheticTables {
    private SyntheticTables() {
    }

    /** Row i = architecture with code i; all three accuracy columns = f(code); unique string = the digits. */
    static Nb201Table write(Path dir, IntToDoubleFunction f) throws IOException {
        StringBuilder sb = new StringBuilder(Nb201Table.HEADER).append('\n');
        for (int c = 0; c < Nb201Arch.SPACE_SIZE; c++) {
            Nb201Arch a = Nb201Arch.fromCode(c);
            double v = f.applyAsDouble(c);
            sb.append(v).append(',').append(v).append(',').append(v).append(',').append(a.toBenchmarkString()).append(',')
                    .append(a.toDigits()).append('\n');
        }
        Path p = dir.resolve("synthetic.csv");
        Files.writeString(p, sb);
        return Nb201Table.load(p);
    }
}
