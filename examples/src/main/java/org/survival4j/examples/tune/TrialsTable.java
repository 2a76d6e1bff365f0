package org.survival4j.examples.tune;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.survival4j.examples.train.CrossValidation;
import org.survival4j.examples.train.TrainingSettings;

/**
 * {@code trials.csv}: one row per trial with its status, its cross-validation result (folds, mean
 * and sd of Harrell's C, each fold's C, the mean best epoch, the seconds its folds took) and every
 * setting that the search varies.
 */
public final class TrialsTable {
    /** The columns, in order. */
    public static final List<String> HEADER = List.of("trial", "bracket", "status", "folds", "cv_mean", "cv_sd",
            "fold_c", "mean_best_epoch", "seconds", "loss", "hidden", "activation", "dropout", "optimizer",
            "learning_rate", "sgd_momentum", "lr_schedule", "weight_decay", "batch", "momentum", "steps", "rate");

    private TrialsTable() {
    }

    /** The table as CSV text. */
    public static String csv(List<Trial> trials) {
        StringBuilder out = new StringBuilder();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(HEADER.toArray(String[]::new))
                .setRecordSeparator('\n').build())) {
            for (Trial t : trials) {
                csv.printRecord(row(t));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return out.toString();
    }

    private static List<Object> row(Trial t) {
        TrainingSettings s = t.settings();
        CrossValidation.Summary cv = t.summary();
        List<Object> row = new ArrayList<>();
        row.add(t.id());
        row.add(t.bracket());
        row.add(t.status().name().toLowerCase(Locale.ROOT));
        row.add(t.folds().size());
        row.add(cv == null ? "" : format(cv.mean()));
        row.add(cv == null ? "" : format(cv.sd()));
        row.add(t.folds().stream().map(f -> format(f.concordance())).collect(Collectors.joining(";")));
        row.add(cv == null ? "" : cv.meanEpochs());
        row.add(String.format(Locale.ROOT, "%.1f", t.seconds()));
        row.add(s.loss().name().toLowerCase(Locale.ROOT));
        row.add(s.hidden().stream().map(String::valueOf).collect(Collectors.joining(";")));
        row.add(s.activation().name().toLowerCase(Locale.ROOT));
        row.add(s.dropout().get(0));
        row.add(s.optimizer().name().toLowerCase(Locale.ROOT));
        row.add(s.learningRate());
        row.add(s.optimizer() == TrainingSettings.OptimizerKind.NESTEROV ? s.sgdMomentum() : "");
        row.add(s.schedule().toString());
        row.add(s.weightDecay());
        row.add(s.batchSize());
        row.add(s.momentum());
        row.add(s.momentum() ? s.steps() : "");
        row.add(s.momentum() ? s.rate() : "");
        return row;
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
