package org.survival4j.metrics;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.data.TimeGroups;

/**
 * The Aalen-Johansen estimate of the cumulative incidence of each cause under competing risks
 * (Aalen and Johansen 1978, Scand J Stat 5(3); Putter, Fiocco and Geskus 2007, doi:10.1002/sim.2712).
 *
 * <p>At the distinct observed times \( t_1 < \dots < t_J \), with \( n_j \) rows at risk
 * (\( T \ge t_j \)), \( d_{kj} \) events of cause \( k \) and \( d_j = \sum_k d_{kj} \),
 * \[ \hat S(t) = \prod_{t_j \le t} \Big(1 - \frac{d_j}{n_j}\Big), \qquad
 *    \hat F_k(t) = \sum_{t_j \le t} \hat S(t_{j-1}) \frac{d_{kj}}{n_j} , \]
 * \( \hat S \) being the Kaplan-Meier estimate of being event-free (of any cause) and
 * \( \hat S + \sum_k \hat F_k = 1 \). Both are right-continuous steps: the events at \( t \)
 * count at \( t \); 0 (and \( \hat S = 1 \)) before \( t_1 \), the last value after \( t_J \). A
 * row censored at an event time is at risk for it. With one cause, \( \hat F_1 = 1 - \) the
 * Kaplan-Meier estimate. These are R's {@code summary(survfit(Surv(time, factor(cause, 0:K)) ~ 1),
 * times = at, extend = TRUE)$pstate}; the golden tests match them to 1e-12.
 *
 * <p>Cost: \( O(n \log n) \) (one sort), a look-up is a binary search. Immutable and thread-safe.
 *
 * <pre>{@code
 * INDArray time = Nd4j.createFromArray(1.0, 2.0, 2.0, 3.0);
 * INDArray cause = Nd4j.createFromArray(1.0, 2.0, 0.0, 1.0);
 * AalenJohansen.cumulativeIncidence(time, cause, 1, new double[] {1, 2.5, 3}); // [1/4, 1/4, 1/4 + 1/2]
 * AalenJohansen.cumulativeIncidence(time, cause, 2, new double[] {2});         // [3/4 * 1/3 = 1/4]
 * }</pre>
 *
 * @since 0.3
 */
public final class AalenJohansen {
    private final double[] times;
    private final double[] eventFree;
    private final double[][] incidence; // [cause - 1][time]

    private AalenJohansen(double[] times, double[] eventFree, double[][] incidence) {
        this.times = times;
        this.eventFree = eventFree;
        this.incidence = incidence;
    }

    /**
     * Fits the estimate.
     *
     * @param time observed times, {@code [n]}, finite and {@code >= 0}, at least one row
     * @param cause 0 = censored, otherwise the cause of the event (a whole number), {@code [n]}
     * @return the estimate of every cause up to the largest label
     */
    public static AalenJohansen fit(INDArray time, INDArray cause) {
        double[] t = SurvivalArguments.time(time, "time", (int) SurvivalArguments.checkNotNull(time, "time").length());
        int[] c = SurvivalArguments.anyCause(SurvivalArguments.finiteVector(cause, "cause"), "cause", t.length);
        return fit(t, c);
    }

    /**
     * The cumulative incidence of one cause at the given times.
     *
     * @param time observed times
     * @param cause 0 = censored, otherwise the cause
     * @param k the cause, {@code >= 1} (a cause that never occurs has incidence 0)
     * @param at where to evaluate, each finite and {@code >= 0}
     * @return \( \hat F_k \) at each of {@code at}
     */
    public static double[] cumulativeIncidence(INDArray time, INDArray cause, int k, double[] at) {
        AalenJohansen fit = fit(time, cause);
        SurvivalArguments.checkNotNull(at, "at");
        double[] out = new double[at.length];
        for (int j = 0; j < at.length; j++) {
            out[j] = fit.cumulativeIncidence(k, at[j]);
        }
        return out;
    }

    /** As {@link #fit(INDArray, INDArray)} for validated labels. */
    static AalenJohansen fit(double[] time, int[] cause) {
        SurvivalArguments.atLeast(time.length, "number of rows", 1);
        int causes = Arrays.stream(cause).max().orElse(0);
        boolean[] event = new boolean[time.length];
        for (int i = 0; i < time.length; i++) {
            event[i] = cause[i] != 0;
        }
        TimeGroups groups = TimeGroups.of(time, event, null);
        int m = groups.groupCount();
        double[] t = new double[m];
        double[] s = new double[m];
        double[][] f = new double[causes][m];
        double survival = 1;
        double[] acc = new double[causes];
        int atRisk = time.length;
        int[] byCause = new int[causes + 1];
        for (int g = 0; g < m; g++) {
            Arrays.fill(byCause, 0);
            for (int p = groups.groupStart(g); p < groups.groupEnd(g); p++) {
                byCause[cause[groups.row(p)]]++;
            }
            for (int k = 1; k <= causes; k++) {
                acc[k - 1] += survival * byCause[k] / atRisk;
                f[k - 1][g] = acc[k - 1];
            }
            survival *= 1 - (double) groups.eventsInGroup(g) / atRisk;
            t[g] = groups.groupTime(g);
            s[g] = survival;
            atRisk -= groups.groupEnd(g) - groups.groupStart(g);
        }
        return new AalenJohansen(t, s, f);
    }

    /** The number of causes (the largest cause label in the data). */
    public int causes() {
        return incidence.length;
    }

    /** \( \hat F_k(t) \), right-continuous; 0 for a cause above {@link #causes()}. */
    public double cumulativeIncidence(int k, double t) {
        SurvivalArguments.atLeast(k, "k", 1);
        int j = lastAtOrBefore(t);
        return j < 0 || k > incidence.length ? 0 : incidence[k - 1][j];
    }

    /** \( \hat S(t) \), the probability of being free of every cause, right-continuous. */
    public double eventFree(double t) {
        int j = lastAtOrBefore(t);
        return j < 0 ? 1 : eventFree[j];
    }

    /** The distinct observed times, ascending (a copy). */
    public double[] times() {
        return times.clone();
    }

    private int lastAtOrBefore(double t) {
        SurvivalArguments.inRange(t, "t", 0, Double.MAX_VALUE, true);
        int i = Arrays.binarySearch(times, t);
        return i >= 0 ? i : -i - 2;
    }

    @Override
    public String toString() {
        return "AalenJohansen(" + incidence.length + " causes, " + times.length + " times)";
    }
}
