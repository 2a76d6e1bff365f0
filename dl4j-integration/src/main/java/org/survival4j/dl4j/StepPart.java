package org.survival4j.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.survival4j.momentum.BankRows;

/**
 * One part of a step that trains on the union of several batches (a worker's batch in a
 * data-parallel round, a micro-batch of the gradient cache): its included rows' outputs and labels
 * ({@code start} null for labels without entry times). Each part's loss pools [bank rows ; every
 * other part's rows, in order] with its own rows.
 */
record StepPart(double[][] output, double[] start, double[] time, double[] event) {
    /** The rows part {@code own} is pooled with: {@code bank}, then every other part's rows in order. */
    static BankRows pooledRows(BankRows bank, List<StepPart> parts, int own) {
        List<double[]> output = new ArrayList<>();
        List<StepPart> others = new ArrayList<>(parts);
        others.remove(own);
        for (StepPart p : others) {
            output.addAll(Arrays.asList(p.output));
        }
        double[] othersStart = start(parts) == null ? null : concat(others, StepPart::start);
        return BankRows.of(bank.outputThen(output.toArray(new double[0][])), bank.startThen(othersStart),
                bank.timeThen(concat(others, StepPart::time)), bank.eventThen(concat(others, StepPart::event)));
    }

    /**
     * The parts' entry times in order, or null if no part has any.
     *
     * @throws IllegalArgumentException if some parts have entry times and others not
     */
    static double[] start(List<StepPart> parts) {
        long with = parts.stream().filter(p -> p.start != null).count();
        if (with == 0) {
            return null;
        }
        if (with < parts.size()) {
            throw new IllegalArgumentException("the batches of one step mix labels [n, 3] (start, stop, event) with"
                    + " labels [n, 2] (time, event)");
        }
        return concat(parts, StepPart::start);
    }

    /** The parts' rows together. */
    static int rows(List<StepPart> parts) {
        return parts.stream().mapToInt(p -> p.output.length).sum();
    }

    /** A label column of all parts, in order. */
    static double[] concat(List<StepPart> parts, Function<StepPart, double[]> column) {
        return parts.stream().flatMapToDouble(p -> Arrays.stream(column.apply(p))).toArray();
    }
}
