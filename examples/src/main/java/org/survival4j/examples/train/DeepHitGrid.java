package org.survival4j.examples.train;

import java.util.Arrays;

/**
 * How DeepHit's labels are made from observed times: the grid is the grid loss's knots
 * ({@link NetworkFactory#gridKnots}: 0 and quantiles of the training event times), and each row
 * gets the index of a grid time. An <b>event</b> at \( t \) goes to the first grid time at or after
 * \( t \), so that the predicted cumulative incidence at a grid time (interval {@code g}'s mass
 * counts from {@code gridTimes[g]} on) counts only events up to it; a <b>censored</b> row goes to the
 * last grid time at or before \( t \), the last one at which it is known to be event-free (pycox's
 * convention). Events after the last grid time go to the last interval.
 */
public final class DeepHitGrid {
    private DeepHitGrid() {
    }

    /**
     * The rows with each time replaced by its grid index (the causes unchanged): DeepHit's labels.
     *
     * @param gridTimes ascending, starting at 0
     */
    public static SurvivalData labels(SurvivalData data, double[] gridTimes) {
        double[] index = new double[data.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = index(data.time()[i], data.event()[i] != 0, gridTimes);
        }
        return new SurvivalData(data.name(), data.recipe(), data.x(), index, data.event(), null);
    }

    /** The grid index of one row (see the class comment). */
    static int index(double time, boolean event, double[] gridTimes) {
        int at = Arrays.binarySearch(gridTimes, time);
        if (at >= 0) {
            return at;
        }
        int after = -at - 1; // the first grid time above `time`
        return event ? Math.min(after, gridTimes.length - 1) : Math.max(after - 1, 0);
    }
}
