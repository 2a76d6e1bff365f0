package org.survival4j.examples.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import org.survival4j.examples.tune.Tuner;

/**
 * The tuning's progress as a bar over trials (done of the limit, or a count without one), with
 * the best trial so far and the tuning time left as its message. On a terminal it is redrawn in
 * place; in a log a line is printed whenever a trial ends.
 */
final class TrialProgressBar implements Consumer<Tuner.Progress>, AutoCloseable {
    private final ProgressBar bar;
    private final boolean interactive;
    private int printedDone = -1;

    /**
     * @param maxTrials the trial limit, or 0 for none
     */
    TrialProgressBar(PrintStream out, int maxTrials, boolean interactive) {
        this.interactive = interactive;
        this.bar = EpochProgressBar.builder(out, "tune", " trials", interactive)
                .setInitialMax(maxTrials > 0 ? maxTrials : -1).build();
    }

    @Override
    public void accept(Tuner.Progress p) {
        bar.stepTo(p.trialsDone());
        bar.setExtraMessage(message(p));
        if (!interactive && p.trialsDone() != printedDone) {
            printedDone = p.trialsDone();
            bar.refresh();
        }
    }

    static String message(Tuner.Progress p) {
        String best = p.best() == null ? "best: -" : String.format(Locale.ROOT, "best: trial %d, C %.4f (%d folds)",
                p.best().id(), p.best().score(), p.best().folds().size());
        String left = Double.isInfinite(p.tuningSecondsLeft()) ? ""
                : String.format(Locale.ROOT, ", %d:%02d left", (long) p.tuningSecondsLeft() / 60,
                (long) p.tuningSecondsLeft() % 60);
        return String.format(Locale.ROOT, "%d started, %s%s", p.trialsStarted(), best, left);
    }

    @Override
    public void close() {
        bar.close();
    }
}
