package org.survival4j.examples.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;
import org.survival4j.examples.train.TrainingProgress;

/**
 * Shows training progress as one line: a bar, the epoch, the loss, the monitored C-index, the time
 * spent and the time left. On a terminal the line is redrawn in place after each epoch; otherwise
 * (a log, a pipe, CI) about ten lines are printed over the run, so logs stay readable.
 */
final class ProgressLine implements Consumer<TrainingProgress> {
    private static final int BAR = 20;

    private final PrintStream out;
    private final String label;
    private final String monitored;
    private final boolean interactive;

    /**
     * @param out where to print
     * @param label the name of the run, e.g. "momentum"
     * @param monitored what the C-index is computed on, e.g. "val C"
     * @param interactive redraw one line in place (a terminal) or print occasional lines
     */
    ProgressLine(PrintStream out, String label, String monitored, boolean interactive) {
        this.out = out;
        this.label = label;
        this.monitored = monitored;
        this.interactive = interactive;
    }

    @Override
    public void accept(TrainingProgress p) {
        String line = format(p);
        if (interactive) {
            out.print("\r" + line);
            if (p.epoch() == p.epochs()) {
                out.println();
            }
        } else if (p.epoch() == p.epochs() || p.epoch() % Math.max(1, p.epochs() / 10) == 0) {
            out.println(line);
        }
        out.flush();
    }

    String format(TrainingProgress p) {
        int filled = BAR * p.epoch() / p.epochs();
        String bar = "#".repeat(filled) + ".".repeat(BAR - filled);
        String c = Double.isNaN(p.validationConcordance()) ? ""
                : String.format(Locale.ROOT, "  %s %.4f", monitored, p.validationConcordance());
        return String.format(Locale.ROOT, "%-9s [%s] epoch %3d/%d  loss %.4f%s  %s, %s left", label, bar, p.epoch(),
                p.epochs(), p.loss(), c, clock(p.elapsedSeconds()), clock(p.remainingSeconds()));
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
