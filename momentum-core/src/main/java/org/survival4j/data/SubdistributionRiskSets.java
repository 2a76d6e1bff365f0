package org.survival4j.data;

/**
 * The weighted risk sets of a Fine-Gray subdistribution hazard for one cause of interest: rows
 * that had a competing event stay at risk after it, with inverse-probability-of-censoring weights
 * (Fine and Gray 1999, doi:10.1080/01621459.1999.10474144), exactly as R's
 * {@code survival::finegray} expands the data (Geskus 2011, doi:10.1111/j.1541-0420.2010.01420.x).
 *
 * <p>Rows have a time \( T_j \) and a cause \( c_j \) (0 = censored); \( k \) is the cause of
 * interest. Within a stratum, \( \hat G \) is the Kaplan-Meier estimate of the censoring
 * distribution, in which at a shared time the events (of any cause) leave the risk set before the
 * censorings, and \( \hat G(t-) \) its value just before \( t \). At an event time \( t \) of cause
 * \( k \), row \( j \) is at risk with weight
 * \[ w_j(t) = \begin{cases} 1 & T_j \ge t, \\ \hat G(t-) / \hat G(T_j-) & T_j < t,\ c_j \notin \{0, k\}, \\
 *    0 & \text{otherwise,} \end{cases} \]
 * so the risk-set sum is
 * \( S(t) = \sum_{T_j \ge t} e^{\eta_j} + \hat G(t-) \sum_{T_j < t,\ c_j \notin \{0,k\}} e^{\eta_j} / \hat G(T_j-) \).
 * {@code finegray} gives a competing row one weighted interval per stretch between censoring times
 * that holds an event of cause \( k \), with weight \( \hat G \) at the stretch's start over
 * \( \hat G \) at the start of the stretch holding \( T_j \): for an event time \( t \) that is
 * \( \hat G(t-)/\hat G(T_j-) \), the weight above. Factoring \( \hat G(t-) \) out of the sum
 * computes every \( S(t) \) in one sweep over the times instead of expanding the rows.
 *
 * <p>\( \hat G(T_j-) > 0 \) always (row \( j \) itself was still uncensored), and so is
 * \( \hat G(t-) \) at an event time. Sums run in log space: any finite \( \eta \) gives finite
 * results. Depends only on the labels, so it can be built once per batch. Cost \( O(n) \) after
 * the sort of {@link TimeGroups}. Immutable and thread-safe.
 *
 * @since 0.3
 */
public final class SubdistributionRiskSets {
    private final TimeGroups groups;
    private final boolean[] event;
    private final boolean[] competing;
    private final double[] logCensoringBefore;

    private SubdistributionRiskSets(TimeGroups groups, boolean[] event, boolean[] competing,
                                    double[] logCensoringBefore) {
        this.groups = groups;
        this.event = event;
        this.competing = competing;
        this.logCensoringBefore = logCensoringBefore;
    }

    /**
     * Builds the risk sets from validated labels.
     *
     * @param time observed times, finite and {@code >= 0}
     * @param cause 0 = censored, otherwise the cause of the event
     * @param interest the cause of interest, {@code >= 1}
     * @param strata a stratum label per row, or {@code null}: each stratum has its own censoring
     *     estimate and its own risk sets (as {@code strata()} in both {@code finegray} and {@code coxph})
     */
    public static SubdistributionRiskSets of(double[] time, int[] cause, int interest, int[] strata) {
        int n = time.length;
        boolean[] event = new boolean[n];
        boolean[] competing = new boolean[n];
        for (int i = 0; i < n; i++) {
            event[i] = cause[i] == interest;
            competing[i] = cause[i] != 0 && cause[i] != interest;
        }
        TimeGroups groups = TimeGroups.of(time, event, strata);
        double[] logG = new double[groups.groupCount()];
        for (int s = 0; s < groups.strataCount(); s++) {
            int atRisk = 0;
            for (int g = groups.stratumStart(s); g < groups.stratumEnd(s); g++) {
                atRisk += groups.groupEnd(g) - groups.groupStart(g);
            }
            double log = 0;
            for (int g = groups.stratumStart(s); g < groups.stratumEnd(s); g++) {
                logG[g] = log;
                int size = groups.groupEnd(g) - groups.groupStart(g);
                int censored = 0;
                for (int p = groups.groupStart(g); p < groups.groupEnd(g); p++) {
                    censored += cause[groups.row(p)] == 0 ? 1 : 0;
                }
                if (censored > 0) {
                    // the events of the group (any cause) leave before its censorings
                    log += Math.log1p(-(double) censored / (atRisk - (size - censored)));
                }
                atRisk -= size;
            }
        }
        return new SubdistributionRiskSets(groups, event, competing, logG);
    }

    /** The rows grouped by stratum and time, with the events of the cause of interest as events. */
    public TimeGroups groups() {
        return groups;
    }

    /** Whether a row had an event of the cause of interest. */
    public boolean isEvent(int row) {
        return event[row];
    }

    /** Whether a row had a competing event (a cause other than 0 and the cause of interest). */
    public boolean competing(int row) {
        return competing[row];
    }

    /** \( \log \hat G(t_g-) \) of group {@code g}, in its stratum ({@code -Infinity} once \( \hat G \) is 0). */
    public double logCensoringSurvivalBefore(int g) {
        return logCensoringBefore[g];
    }

    /**
     * \( \log S(t_g) \) per group (the value of groups without an event of the cause of interest
     * is the same sum, unused by the likelihood).
     *
     * @param eta log hazards of the rows
     */
    public double[] logRiskSums(double[] eta) {
        double[] logS = new double[groups.groupCount()];
        for (int s = 0; s < groups.strataCount(); s++) {
            double later = Double.NEGATIVE_INFINITY; // log sum over T_j >= t_g
            for (int g = groups.stratumEnd(s) - 1; g >= groups.stratumStart(s); g--) {
                for (int p = groups.groupStart(g); p < groups.groupEnd(g); p++) {
                    later = LogSumExpTree.logAdd(later, eta[groups.row(p)]);
                }
                logS[g] = later;
            }
            double earlier = Double.NEGATIVE_INFINITY; // log sum of e^eta / G(T-) over competing T_j < t_g
            for (int g = groups.stratumStart(s); g < groups.stratumEnd(s); g++) {
                if (earlier != Double.NEGATIVE_INFINITY) {
                    logS[g] = LogSumExpTree.logAdd(logS[g], logCensoringBefore[g] + earlier);
                }
                for (int p = groups.groupStart(g); p < groups.groupEnd(g); p++) {
                    int row = groups.row(p);
                    if (competing[row]) {
                        earlier = LogSumExpTree.logAdd(earlier, eta[row] - logCensoringBefore[g]);
                    }
                }
            }
        }
        return logS;
    }
}
