package org.survival4j.dl4j;

/**
 * Rows a {@link CoxLossFunction} places before the rows of the batch: the hook through which the
 * momentum training listener will add its memory bank.
 *
 * <p>Leading rows take part in every risk set and in the event count of the MEAN reduction, but
 * they are constants: the gradient covers the batch rows only (the {@code firstRow} argument of
 * {@link org.survival4j.loss.CoxPartialLikelihood#valueAndGradient(org.nd4j.linalg.api.ndarray.INDArray,
 * org.nd4j.linalg.api.ndarray.INDArray, org.nd4j.linalg.api.ndarray.INDArray, int[], int)}).
 *
 * <p>An instance is an immutable snapshot (the arrays are copied in), so its identity can key the
 * loss's cache: a supplier returns a new instance whenever the rows change, and the same instance
 * while they do not.
 */
final class LeadingRows {
    /** No leading rows: the plain batch loss. */
    static final LeadingRows NONE = new LeadingRows(new double[0], new double[0], new double[0]);

    private final double[] logHz;
    private final double[] time;
    private final double[] event;

    private LeadingRows(double[] logHz, double[] time, double[] event) {
        this.logHz = logHz;
        this.time = time;
        this.event = event;
    }

    /**
     * A snapshot of the given rows; the values are checked when the loss pools them with a batch.
     *
     * @param logHz log hazards (e.g. target-network outputs)
     * @param time their times
     * @param event their event indicators
     * @throws IllegalArgumentException if the lengths differ
     */
    static LeadingRows of(double[] logHz, double[] time, double[] event) {
        if (logHz.length != time.length || logHz.length != event.length) {
            throw new IllegalArgumentException("leading rows: logHz, time and event have " + logHz.length + ", "
                    + time.length + " and " + event.length + " rows");
        }
        return new LeadingRows(logHz.clone(), time.clone(), event.clone());
    }

    /** Number of rows. */
    int size() {
        return logHz.length;
    }

    /** These rows followed by {@code batch}, for the log hazards. */
    double[] logHzThen(double[] batch) {
        return concat(logHz, batch);
    }

    /** These rows followed by {@code batch}, for the times. */
    double[] timeThen(double[] batch) {
        return concat(time, batch);
    }

    /** These rows followed by {@code batch}, for the events. */
    double[] eventThen(double[] batch) {
        return concat(event, batch);
    }

    private static double[] concat(double[] first, double[] second) {
        double[] all = new double[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    @Override
    public String toString() {
        return "LeadingRows(" + size() + " rows)";
    }
}
