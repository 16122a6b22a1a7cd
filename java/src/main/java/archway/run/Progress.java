package archway.run;

import java.io.PrintStream;

/**
 * A one-line progress bar on stderr for long loops (redrawn in place on a terminal, printed every
 * tenth of the way otherwise so logs stay short).
 */
public final class Progress {
    private final PrintStream out;
    private final String label;
    private final int total;
    private final boolean tty = System.console() != null;
    private final long start = System.nanoTime();
    private int lastDecile = -1;

    public Progress(PrintStream out, String label, int total) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
    }

    /** Reports that {@code done} of {@code total} units are complete, with a short status text. */
    public void update(int done, String status) {
        double frac = Math.min(1.0, done / (double) total);
        double secs = (System.nanoTime() - start) / 1e9;
        String eta = done > 0 ? String.format("eta %.0fs", secs / done * (total - done)) : "";
        int width = 24, filled = (int) Math.round(frac * width);
        String bar = "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
        String line = String.format("%s %s %3.0f%% %s %s", label, bar, 100 * frac, status, eta);
        if (tty) {
            out.print("\r" + line + "   ");
            if (done >= total) {
                out.println();
            }
        } else {
            int decile = (int) (frac * 10);
            if (decile != lastDecile) {
                lastDecile = decile;
                out.println(line);
            }
        }
        out.flush();
    }
}
