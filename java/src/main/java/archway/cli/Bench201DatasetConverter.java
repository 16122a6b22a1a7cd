package archway.cli;

import archway.nb201.Nb201Dataset;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine;

/** Converts {@code cifar10 | cifar100 | imagenet16-120} for picocli and lists them as completion candidates. */
final class Bench201DatasetConverter implements CommandLine.ITypeConverter<Nb201Dataset>, Iterable<String> {
    @Override
    public Nb201Dataset convert(String value) {
        try {
            return Nb201Dataset.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    @Override
    public Iterator<String> iterator() {
        return Arrays.stream(Nb201Dataset.values()).map(Nb201Dataset::id).iterator();
    }
}
