package org.survival4j.samediff;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.survival4j.data.SurvivalArguments;

/**
 * The checks of a graph shared by the builders that attach a survival loss to it
 * ({@link SameDiffMomentum}, {@link KernelGradientLoss}), made before they change it; each failure
 * is an {@code IllegalArgumentException} naming the variable.
 */
final class GraphChecks {
    private GraphChecks() {
    }

    /**
     * The variable {@code name}, of {@code type} (null: any type).
     *
     * @param what what the builder calls it, for the message
     */
    static SDVariable require(SameDiff sd, String name, VariableType type, String what) {
        SurvivalArguments.checkNotNull(name, what);
        if (!sd.hasVariable(name) || (type != null && sd.getVariable(name).getVariableType() != type)) {
            throw new IllegalArgumentException(what + ": the graph has no " + (type == null ? "variable"
                    : type.name().toLowerCase()) + " named " + name);
        }
        return sd.getVariable(name);
    }

    /**
     * The output the loss reads: computed by an op (not a placeholder, variable or constant), with
     * {@code loss.columns()} columns where the graph knows its shape (op outputs mostly have none
     * before they run; the listeners check the shape then).
     */
    static SDVariable output(SameDiff sd, String name, SurvivalLoss loss) {
        SDVariable out = require(sd, name, null, "output");
        if (out.getVariableType() != VariableType.ARRAY) {
            throw new IllegalArgumentException("output " + name + " is a " + out.getVariableType().name()
                    .toLowerCase() + ": it must be computed by an op of the graph from the features");
        }
        long[] shape = out.getShape();
        if (shape != null && shape.length == 2 && shape[1] > 0 && shape[1] != loss.columns()) {
            throw new IllegalArgumentException("output " + name + " has " + shape[1] + " columns but " + loss
                    + " reads " + loss.columns());
        }
        return out;
    }

    /** Refuses a graph that has loss variables: SameDiff would train them together with the survival loss. */
    static void noLossVariables(SameDiff sd) {
        if (!sd.getLossVariables().isEmpty()) {
            throw new IllegalArgumentException("the graph already has loss variables " + sd.getLossVariables()
                    + ", which would be trained together with the survival loss: remove them first with"
                    + " sd.setLossVariables(new String[0])");
        }
    }

    /**
     * Whether the labels placeholder holds counting-process labels (3 columns: start, stop, event),
     * refused for a loss that does not take them.
     */
    static boolean entryTimes(SDVariable labels, SurvivalLoss loss) {
        boolean entryTimes = PooledLoss.hasEntryTimes(labels);
        if (entryTimes && !loss.takesEntryTimes()) {
            throw new IllegalArgumentException("labels " + labels.name() + " have 3 columns (start, stop, event):"
                    + " counting-process labels are for the Cox and cause-specific Cox losses; " + loss
                    + " takes [n, 2]");
        }
        return entryTimes;
    }
}
