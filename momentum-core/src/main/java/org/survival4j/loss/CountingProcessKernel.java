package org.survival4j.loss;

import java.util.Arrays;
import org.survival4j.data.CountingRiskSets;
import org.survival4j.data.LogSumExpTree;

/**
 * The Cox negative partial log-likelihood and its gradient for data in counting-process form
 * (SUM reduction): row {@code j} is the interval \( (s_j, T_j] \), at risk at an event time \( t \)
 * when \( s_j < t \le T_j \) (Andersen and Gill 1982; R's {@code Surv(start, stop, event)}).
 *
 * <p>With the event times \( t_k \) of a stratum, \( S_k = \sum_{j: s_j < t_k \le T_j} e^{\eta_j} \),
 * and \( D_k \), \( E_k \), \( A_k \), \( B_k \) as in {@link CoxKernel} (Efron or Breslow),
 * \[ -\ell = \sum_k \Big[ \sum_{l=0}^{d_k-1} \log\big(S_k - \tfrac{l}{d_k} E_k\big) - \sum_{i \in D_k} \eta_i \Big], \qquad
 *    \frac{\partial(-\ell)}{\partial \eta_j} = -\delta_j + e^{\eta_j} \sum_{k:\, s_j < t_k \le T_j} A_k
 *    - \delta_j e^{\eta_j} B_{k(j)} . \]
 *
 * <p>Both sums over a changing set are kept without subtraction, so that large log hazards lose no
 * precision (the difference of two cumulative sums would): \( S_k \) by {@link CountingRiskSets},
 * and the sum of \( A_k \) over a row's interval by a range query on a {@link LogSumExpTree} over
 * the event times. {@code O(n log n)} time, {@code O(n)} memory.
 */
final class CountingProcessKernel {
    private CountingProcessKernel() {
    }

    /**
     * @param eta log hazards
     * @param start interval starts, {@code start[j] < stop[j]}
     * @param stop interval ends
     * @param event 1 if the row's event happens at its stop
     * @param strata stratum of each row, or null
     * @param ties tie handling
     * @param gradient receives d(-l)/d eta per row, or null
     * @return the negative partial log-likelihood, summed over events, and in {@code events[0]} the number of events
     */
    static double negativeLogLikelihood(double[] eta, double[] start, double[] stop, boolean[] event, int[] strata,
                                        Ties ties, double[] gradient, int[] events) {
        double nll = 0;
        int eventCount = 0;
        for (int[] stratum : CountingRiskSets.rowsByStratum(strata, eta.length).values()) {
            double[] result = stratum(eta, start, stop, event, stratum, ties, gradient);
            nll += result[0];
            eventCount += (int) result[1];
        }
        events[0] = eventCount;
        return nll;
    }

    /** One stratum's {value, events}; fills the gradient of its rows. */
    private static double[] stratum(double[] eta, double[] start, double[] stop, boolean[] event, int[] rows,
                                    Ties ties, double[] gradient) {
        int m = rows.length;
        double[] times = CountingRiskSets.eventTimes(rows, stop, event);
        int k = times.length;
        if (gradient != null) {
            for (int j : rows) {
                gradient[j] = 0;
            }
        }
        if (k == 0) {
            return new double[] {0, 0};
        }
        double[] logRisk = CountingRiskSets.logRiskSums(times, eta, start, stop, rows);
        int[] byStop = CountingRiskSets.sortedBy(rows, stop);
        double[] logA = new double[k];
        double[] logB = new double[k];
        double[] logAB = new double[2];
        double nll = 0;
        int events = 0;
        int left = 0; // rows of byStop before the current time
        for (int g = 0; g < k; g++) {
            double t = times[g];
            while (left < m && stop[byStop[left]] < t) {
                left++;
            }
            double logE = Double.NEGATIVE_INFINITY; // of the events at t
            int d = 0;
            double eventEtaSum = 0;
            for (int p = left; p < m && stop[byStop[p]] == t; p++) {
                int j = byStop[p];
                if (event[j]) {
                    d++;
                    eventEtaSum += eta[j];
                    logE = LogSumExpTree.logAdd(logE, eta[j]);
                }
            }
            nll += CoxKernel.eventTime(ties, d, logRisk[g], logE, 1, eventEtaSum, logAB);
            events += d;
            logA[g] = logAB[0];
            logB[g] = logAB[1];
        }
        if (gradient != null) {
            LogSumExpTree sumA = new LogSumExpTree(k);
            for (int g = 0; g < k; g++) {
                sumA.set(g, logA[g]);
            }
            for (int j : rows) {
                int first = firstAbove(times, start[j]);    // first event time > start
                int last = firstAbove(times, stop[j]) - 1;  // last event time <= stop
                double logSum = first <= last ? sumA.range(first, last + 1) : Double.NEGATIVE_INFINITY;
                double gr = logSum == Double.NEGATIVE_INFINITY ? 0 : Math.exp(eta[j] + logSum);
                if (event[j]) {
                    gr -= 1 + Math.exp(eta[j] + logB[last]);
                }
                gradient[j] = gr;
            }
        }
        return new double[] {nll, events};
    }

    /** The index of the first of the distinct, ascending {@code times} above {@code x} (their length if none). */
    private static int firstAbove(double[] times, double x) {
        int at = Arrays.binarySearch(times, x);
        return at >= 0 ? at + 1 : -at - 1;
    }
}
