package org.survival4j.examples.train;

import java.util.Locale;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;
import org.survival4j.data.SurvivalArguments;

/**
 * How the learning rate \( \eta_e \) changes with the epoch \( e = 0, 1, \dots \) from its initial
 * value \( \eta_0 \), as a DL4J {@link ISchedule} counted in epochs:
 * <ul>
 *   <li>{@link Kind#NONE}: \( \eta_e = \eta_0 \);</li>
 *   <li>{@link Kind#INVERSE}: \( \eta_e = \eta_0 / (1 + d\,e) \), DeepSurv's "power" decay
 *       (Katzman et al. 2018, {@code lr_decay}; DL4J's {@link InverseSchedule} with power 1);</li>
 *   <li>{@link Kind#EXPONENTIAL}: \( \eta_e = \eta_0\, d^{\,e} \) with \( 0 < d \le 1 \);</li>
 *   <li>{@link Kind#STEP}: \( \eta_e = \eta_0\, d^{\lfloor e / s \rfloor} \), multiplied by
 *       \( d \) every \( s \) epochs.</li>
 * </ul>
 *
 * <pre>{@code
 * LearningRateSchedule.inverse(1e-3).toSchedule(0.02).valueAt(0, 10);   // 0.02 / 1.01
 * }</pre>
 *
 * @param kind the shape of the decay
 * @param decay \( d \): the rate of {@code INVERSE} ({@code >= 0}), the factor per epoch or per
 *              step of {@code EXPONENTIAL} and {@code STEP} (in (0, 1]); unused by {@code NONE}
 * @param stepEpochs \( s \), epochs between two steps of {@code STEP} ({@code >= 1})
 */
public record LearningRateSchedule(Kind kind, double decay, int stepEpochs) {
    /** The shapes of decay. */
    public enum Kind {
        /** A constant learning rate. */
        NONE,
        /** \( \eta_0 / (1 + d\,e) \). */
        INVERSE,
        /** \( \eta_0\, d^{\,e} \). */
        EXPONENTIAL,
        /** \( \eta_0\, d^{\lfloor e / s \rfloor} \). */
        STEP
    }

    /** Validates the fields. */
    public LearningRateSchedule {
        if (kind == null) {
            throw new InvalidInputException("the learning-rate schedule must be none, inverse, exponential or step");
        }
        if (kind == Kind.INVERSE && !(decay >= 0 && Double.isFinite(decay))) {
            throw new InvalidInputException("the inverse schedule's decay must be finite and >= 0, got "
                    + SurvivalArguments.format(decay));
        }
        if ((kind == Kind.EXPONENTIAL || kind == Kind.STEP) && !(decay > 0 && decay <= 1)) {
            throw new InvalidInputException("the " + kind.name().toLowerCase(Locale.ROOT) + " schedule's decay must"
                    + " be in (0, 1], got " + SurvivalArguments.format(decay));
        }
        if (stepEpochs < 1) {
            throw new InvalidInputException("the step schedule's epochs per step must be >= 1, got " + stepEpochs);
        }
    }

    /** A constant learning rate. */
    public static LearningRateSchedule none() {
        return new LearningRateSchedule(Kind.NONE, 0, 1);
    }

    /** \( \eta_0 / (1 + d\,e) \). */
    public static LearningRateSchedule inverse(double decay) {
        return new LearningRateSchedule(Kind.INVERSE, decay, 1);
    }

    /** \( \eta_0\, d^{\,e} \). */
    public static LearningRateSchedule exponential(double decay) {
        return new LearningRateSchedule(Kind.EXPONENTIAL, decay, 1);
    }

    /** \( \eta_0\, d^{\lfloor e / s \rfloor} \). */
    public static LearningRateSchedule step(double decay, int stepEpochs) {
        return new LearningRateSchedule(Kind.STEP, decay, stepEpochs);
    }

    /** The DL4J schedule starting at {@code learningRate}, counted in epochs; {@code null} for {@code NONE}. */
    public ISchedule toSchedule(double learningRate) {
        return switch (kind) {
            case NONE -> null;
            case INVERSE -> new InverseSchedule(ScheduleType.EPOCH, learningRate, decay, 1);
            case EXPONENTIAL -> new ExponentialSchedule(ScheduleType.EPOCH, learningRate, decay);
            case STEP -> new StepSchedule(ScheduleType.EPOCH, learningRate, decay, stepEpochs);
        };
    }

    /** E.g. {@code none}, {@code inverse 0.001}, {@code step 0.5 every 20 epochs}. */
    @Override
    public String toString() {
        String name = kind.name().toLowerCase(Locale.ROOT);
        return switch (kind) {
            case NONE -> name;
            case INVERSE, EXPONENTIAL -> name + " " + SurvivalArguments.format(decay);
            case STEP -> name + " " + SurvivalArguments.format(decay) + " every " + stepEpochs + " epochs";
        };
    }
}
