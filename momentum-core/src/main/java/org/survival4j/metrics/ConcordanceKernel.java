package org.survival4j.metrics;

import java.util.Arrays;
import org.survival4j.data.TimeGroups;

/**
 * Counts concordant, discordant and risk-tied comparable pairs in \( O(n \log n) \) with a
 * {@link FenwickTree} over the distinct risk scores; inputs are trusted (validated by the callers).
 *
 * <p>A pair \( (i, j) \) is comparable when \( i \) had an event and \( j \) lived longer:
 * \( T_j > T_i \), or \( T_j = T_i \) with \( j \) censored. Its weight is the time weight
 * \( w_i \) of the event row (1 for Harrell, \( 1/G(T_i-)^2 \) for Uno). It is concordant when
 * \( r_i > r_j \), discordant when \( r_i < r_j \), tied when \( r_i = r_j \).
 *
 * <p>Sweep 1 runs from the latest time to the earliest: at each time the censored rows enter the
 * tree first, then each event queries it (everyone already inside lived longer), then the events
 * enter. Sweep 2, only for per-row counts, runs forwards with a tree of the events weighted by
 * \( w_i \), so that each row also learns the pairs in which it is the longer-lived member.
 */
final class ConcordanceKernel {
    private ConcordanceKernel() {
    }

    /** Weighted pair totals, and per-row totals (the row in either role) when asked for. */
    record Counts(double concordant, double discordant, double tied, int rows,
                  double[] rowConcordant, double[] rowDiscordant, double[] rowTied) {
        double comparable() {
            return concordant + discordant + tied;
        }

        double estimate() {
            return (concordant + 0.5 * tied) / comparable();
        }
    }

    /**
     * @param risk risk scores (higher = shorter expected survival), finite
     * @param time observed times
     * @param event event indicators
     * @param weight the time weight of each event row (ignored for censored rows); 0 leaves its pairs out
     * @param perRow whether to compute the per-row totals (one more sweep)
     */
    static Counts count(double[] risk, double[] time, boolean[] event, double[] weight, boolean perRow) {
        int n = risk.length;
        int[] rank = ranks(risk);
        int slots = 0;
        for (int r : rank) {
            slots = Math.max(slots, r + 1);
        }
        TimeGroups groups = TimeGroups.of(time, event, null);
        double[] rowC = perRow ? new double[n] : null;
        double[] rowD = perRow ? new double[n] : null;
        double[] rowT = perRow ? new double[n] : null;

        FenwickTree longer = new FenwickTree(slots);
        double concordant = 0;
        double discordant = 0;
        double tied = 0;
        for (int g = groups.groupCount() - 1; g >= 0; g--) {
            int from = groups.groupStart(g);
            int to = groups.groupEnd(g);
            for (int p = from; p < to; p++) {
                int row = groups.row(p);
                if (!event[row]) {
                    longer.add(rank[row], 1);
                }
            }
            for (int p = from; p < to; p++) {
                int row = groups.row(p);
                if (event[row] && weight[row] != 0) {
                    double w = weight[row];
                    double c = w * longer.below(rank[row]);
                    double d = w * longer.above(rank[row]);
                    double t = w * longer.at(rank[row]);
                    concordant += c;
                    discordant += d;
                    tied += t;
                    if (perRow) {
                        rowC[row] += c;
                        rowD[row] += d;
                        rowT[row] += t;
                    }
                }
            }
            for (int p = from; p < to; p++) {
                int row = groups.row(p);
                if (event[row]) {
                    longer.add(rank[row], 1);
                }
            }
        }
        if (perRow) {
            addLongerSide(rank, slots, event, weight, groups, rowC, rowD, rowT);
        }
        return new Counts(concordant, discordant, tied, n, rowC, rowD, rowT);
    }

    /** Sweep 2: each row's pairs with the earlier events it outlived. */
    private static void addLongerSide(int[] rank, int slots, boolean[] event, double[] weight, TimeGroups groups,
                                      double[] rowC, double[] rowD, double[] rowT) {
        FenwickTree earlierEvents = new FenwickTree(slots);
        for (int g = 0; g < groups.groupCount(); g++) {
            int from = groups.groupStart(g);
            int to = groups.groupEnd(g);
            // events at this time are compared with strictly earlier events only
            for (int p = from; p < to; p++) {
                int row = groups.row(p);
                if (event[row]) {
                    addQuery(earlierEvents, rank[row], row, rowC, rowD, rowT);
                }
            }
            for (int p = from; p < to; p++) {
                int row = groups.row(p);
                if (event[row] && weight[row] != 0) {
                    earlierEvents.add(rank[row], weight[row]);
                }
            }
            // a censored row outlived the events at its own time too
            for (int p = from; p < to; p++) {
                int row = groups.row(p);
                if (!event[row]) {
                    addQuery(earlierEvents, rank[row], row, rowC, rowD, rowT);
                }
            }
        }
    }

    private static void addQuery(FenwickTree earlierEvents, int rank, int row,
                                 double[] rowC, double[] rowD, double[] rowT) {
        // an earlier event with a higher risk than this row is a concordant pair
        rowC[row] += earlierEvents.above(rank);
        rowD[row] += earlierEvents.below(rank);
        rowT[row] += earlierEvents.at(rank);
    }

    /** The rank of each score among the distinct scores, ascending from 0 (-0.0 and 0.0 tie). */
    static int[] ranks(double[] scores) {
        double[] distinct = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            distinct[i] = scores[i] + 0.0;
        }
        Arrays.sort(distinct);
        int k = 0;
        for (int i = 0; i < distinct.length; i++) {
            if (k == 0 || distinct[i] != distinct[k - 1]) {
                distinct[k++] = distinct[i];
            }
        }
        int[] rank = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            rank[i] = Arrays.binarySearch(distinct, 0, k, scores[i] + 0.0);
        }
        return rank;
    }
}
