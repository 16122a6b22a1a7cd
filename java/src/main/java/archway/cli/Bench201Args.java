package archway.cli;

import archway.UserError;
import archway.nb201.Nb201Table;

/** Turns architecture arguments into table indices, reporting bad ones as user errors naming the argument. */
final class Bench201Args {
    private Bench201Args() {
    }

    static int find(Nb201Table table, String spec, String argName) {
        try {
            return table.find(spec);
        } catch (IllegalArgumentException e) {
            throw new UserError(argName + ": " + e.getMessage());
        }
    }
}
