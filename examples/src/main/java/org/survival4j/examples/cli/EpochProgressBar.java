package org.survival4j.examples.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.survival4j.examples.train.TrainingProgress;

/**
 * Training progress as a progress bar (the {@code progressbar} library): epochs done, elapsed time
 * and time left, with the last epoch's loss and monitored C-index as its message. On a terminal the
 * bar is redrawn in place; otherwise (a log, a pipe, CI) it is printed as a line about ten times
 * over the run, so that logs stay readable.
 *
 * <pre>{@code
 * try (EpochProgressBar bar = new EpochProgressBar(System.out, "momentum", "test C", true)) {
 *     Trainer.train(train, test, settings, bar);
 * }
 * }</pre>
 */
final class EpochProgressBar implements Consumer<TrainingProgress>, AutoCloseable {
    private static final int LOG_WIDTH = 110; // without a terminal the library cannot know the width
    private final ProgressBarBuilder builder;
    private final String monitored;
    private final boolean interactive;
    private ProgressBar bar; // built at the first epoch, which tells the number of epochs

    /**
     * @param out where to print
     * @param label the name of the run, e.g. "momentum"
     * @param monitored what the C-index is computed on, e.g. "val C"
     * @param interactive redraw in place (a terminal) or print occasional lines
     */
    EpochProgressBar(PrintStream out, String label, String monitored, boolean interactive) {
        this.monitored = monitored;
        this.interactive = interactive;
        this.builder = builder(out, label, " epochs", interactive);
    }

    /**
     * A bar redrawn in place on a terminal, or printed only when its owner refreshes it (a log), as
     * distinct lines. Shared with the tuning's bar over trials.
     */
    static ProgressBarBuilder builder(PrintStream out, String label, String unit, boolean interactive) {
        return new ProgressBarBuilder().setTaskName(label).setStyle(ProgressBarStyle.ASCII)
                .setUnit(unit, 1)
                // In a log the bar's own timer must not print: the lines are chosen by the owner.
                .setUpdateIntervalMillis(interactive ? 250 : Integer.MAX_VALUE)
                .setConsumer(interactive ? new ConsoleProgressBarConsumer(out)
                        : new DelegatingProgressBarConsumer(new DistinctLines(out), LOG_WIDTH));
    }

    @Override
    public void accept(TrainingProgress p) {
        if (bar == null) {
            bar = builder.setInitialMax(p.epochs()).build();
        }
        bar.stepTo(p.epoch());
        bar.setExtraMessage(message(p));
        if (p.epoch() == p.epochs()) {
            close();
        } else if (!interactive && p.epoch() % Math.max(1, p.epochs() / 10) == 0) {
            bar.refresh();
        }
    }

    /** Stops the bar (printing its last state); safe to call more than once. */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    String message(TrainingProgress p) {
        String c = Double.isNaN(p.validationConcordance()) ? ""
                : String.format(Locale.ROOT, "  %s %.4f", monitored, p.validationConcordance());
        return String.format(Locale.ROOT, "loss %.4f%s", p.loss(), c);
    }

    /** Prints each rendered line unless it repeats the previous one (the library renders its final state twice). */
    private static final class DistinctLines implements Consumer<String> {
        private final PrintStream out;
        private String last;

        DistinctLines(PrintStream out) {
            this.out = out;
        }

        @Override
        public void accept(String line) {
            if (!line.equals(last)) {
                out.println(line);
                out.flush();
            }
            last = line;
        }
    }
}
