package org.survival4j.examples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.examples.train.LearningRateSchedule;
import org.survival4j.examples.train.TrainingSettings;

/**
 * The {@code survival4j train} options that give a network's settings, e.g. for the settings
 * {@code tune} chose: {@code --loss cox --hidden 64,64 --activation relu ... --epochs 45}.
 * {@code train} with them (and the same data) trains the same network as the tune's refit.
 */
final class TrainArguments {
    private TrainArguments() {
    }

    /** The options, in {@code train}'s order. */
    static List<String> of(TrainingSettings s) {
        List<String> a = new ArrayList<>();
        add(a, "--loss", s.loss().optionName());
        if (s.loss() == TrainingSettings.LossKind.COX || s.loss() == TrainingSettings.LossKind.CAUSE_SPECIFIC) {
            add(a, "--ties", s.ties().name().toLowerCase(Locale.ROOT));
        }
        if (s.loss() == TrainingSettings.LossKind.FINE_GRAY) {
            add(a, "--cause", Integer.toString(s.cause()));
        }
        add(a, "--batch", Integer.toString(s.batchSize()));
        if (s.momentum()) {
            add(a, "--steps", Integer.toString(s.steps()));
            add(a, "--rate", number(s.rate()));
        } else {
            a.add("--no-momentum");
        }
        add(a, "--epochs", Integer.toString(s.epochs()));
        add(a, "--hidden", s.hidden().isEmpty() ? "0"
                : s.hidden().stream().map(String::valueOf).collect(Collectors.joining(",")));
        add(a, "--activation", s.activation().name().toLowerCase(Locale.ROOT));
        add(a, "--dropout", s.dropout().stream().map(TrainArguments::number).collect(Collectors.joining(",")));
        add(a, "--optimizer", s.optimizer().name().toLowerCase(Locale.ROOT));
        add(a, "--learning-rate", number(s.learningRate()));
        if (s.optimizer() == TrainingSettings.OptimizerKind.NESTEROV) {
            add(a, "--sgd-momentum", number(s.sgdMomentum()));
        }
        LearningRateSchedule schedule = s.schedule();
        if (schedule.kind() != LearningRateSchedule.Kind.NONE) {
            add(a, "--lr-schedule", schedule.kind().name().toLowerCase(Locale.ROOT));
            add(a, "--lr-decay", number(schedule.decay()));
            if (schedule.kind() == LearningRateSchedule.Kind.STEP) {
                add(a, "--lr-step", Integer.toString(schedule.stepEpochs()));
            }
        }
        add(a, "--weight-decay", number(s.weightDecay()));
        if (s.l2() > 0) {
            add(a, "--l2", number(s.l2()));
        }
        add(a, "--seed", Long.toString(s.seed()));
        return a;
    }

    private static void add(List<String> args, String option, String value) {
        args.add(option);
        args.add(value);
    }

    private static String number(double v) {
        return SurvivalArguments.format(v);
    }
}
