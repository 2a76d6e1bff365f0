package org.survival4j.examples.cli;

import org.survival4j.dl4j.EarlyStopping;
import org.survival4j.examples.train.InvalidInputException;
import org.survival4j.examples.train.StoppingRule;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The early-stopping options of {@code train} and {@code tune} (a picocli mixin). */
final class StoppingOptions {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    /** What the validation rows are scored by. */
    enum Criterion {
        /** Harrell's C (higher is better). */
        C_INDEX,
        /** The survival loss, mean per event (Cox) or per row (lower is better). */
        LOSS
    }

    @Option(names = "--patience", paramLabel = "N", description = "Early stopping: epochs without a better "
            + "validation score before stopping (default: 20).")
    Integer patience;
    @Option(names = "--max-epochs", paramLabel = "N", description = "Early stopping: the most epochs to train "
            + "(default: 200).")
    Integer maxEpochs;
    @Option(names = "--stop-on", paramLabel = "c-index|loss", description = "Early stopping: the validation "
            + "score, Harrell's C or the survival loss (default: c-index in train, loss in tune).",
            converter = CriterionConverter.class)
    Criterion stopOn;

    /** Whether any of the options was given. */
    boolean given() {
        return patience != null || maxEpochs != null || stopOn != null;
    }

    /**
     * The rule from the options over the defaults (the command's criterion, patience 20, at most 200 epochs).
     *
     * @param defaultCriterion the criterion without {@code --stop-on}
     * @throws ParameterException for values out of range
     */
    StoppingRule rule(EarlyStopping.Criterion defaultCriterion) {
        EarlyStopping.Criterion criterion = stopOn == null ? defaultCriterion
                : stopOn == Criterion.LOSS ? EarlyStopping.Criterion.VALIDATION_LOSS : EarlyStopping.Criterion.C_INDEX;
        try {
            return new StoppingRule(criterion, patience == null ? 20 : patience, maxEpochs == null ? 200 : maxEpochs);
        } catch (InvalidInputException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Reads {@code c-index} (or {@code c_index}) and {@code loss}, in any case. */
    static final class CriterionConverter implements CommandLine.ITypeConverter<Criterion> {
        @Override
        public Criterion convert(String value) {
            for (Criterion c : Criterion.values()) {
                if (c.name().equalsIgnoreCase(value.replace('-', '_'))) {
                    return c;
                }
            }
            throw new CommandLine.TypeConversionException("expected c-index or loss but was '" + value + "'");
        }
    }
}
