package org.survival4j.data;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Risk-set sums of data in counting-process form, where row {@code j} is at risk at time {@code t}
 * when {@code start[j] < t <= stop[j]}: for each event time \( t_k \),
 * \( \log S_k = \log \sum_{j: s_j < t_k \le T_j} e^{\eta_j} \), computed without subtraction (a
 * sweep over the event times that sets a row's slot of a {@link LogSumExpTree} when it enters
 * and clears it when it leaves), so that large log hazards lose no precision. {@code O(n log n)}.
 * Shared by the counting-process Cox likelihood and its Breslow baseline.
 */
public final class CountingRiskSets {
    private CountingRiskSets() {
    }

    /**
     * @param eventTimes the distinct event times of {@code rows}, ascending
     * @param eta log hazards (all rows of the data)
     * @param start interval starts
     * @param stop interval ends
     * @param rows the rows of one stratum
     * @return {@code log S_k} per event time
     */
    public static double[] logRiskSums(double[] eventTimes, double[] eta, double[] start, double[] stop, int[] rows) {
        int m = rows.length;
        int[] byStart = sortedBy(rows, start);
        int[] byStop = sortedBy(rows, stop);
        int[] slot = new int[eta.length];
        for (int p = 0; p < m; p++) {
            slot[byStop[p]] = p;
        }
        LogSumExpTree atRisk = new LogSumExpTree(m);
        double[] logS = new double[eventTimes.length];
        int entered = 0;
        int left = 0;
        for (int k = 0; k < eventTimes.length; k++) {
            double t = eventTimes[k];
            while (entered < m && start[byStart[entered]] < t) {
                atRisk.set(slot[byStart[entered]], eta[byStart[entered]]);
                entered++;
            }
            while (left < m && stop[byStop[left]] < t) {
                atRisk.set(left, Double.NEGATIVE_INFINITY);
                left++;
            }
            logS[k] = atRisk.total();
        }
        return logS;
    }

    /** The rows of each stratum, by ascending stratum label; {@code strata == null}: all rows under label 0. */
    public static SortedMap<Integer, int[]> rowsByStratum(int[] strata, int n) {
        SortedMap<Integer, int[]> rows = new TreeMap<>();
        if (strata == null) {
            rows.put(0, IntStream.range(0, n).toArray());
        } else {
            Map<Integer, List<Integer>> lists = IntStream.range(0, n).boxed()
                    .collect(Collectors.groupingBy(j -> strata[j]));
            lists.forEach((label, list) -> rows.put(label, list.stream().mapToInt(Integer::intValue).toArray()));
        }
        return rows;
    }

    /** The distinct times at which {@code rows} have an event, ascending. */
    public static double[] eventTimes(int[] rows, double[] stop, boolean[] event) {
        return Arrays.stream(rows).filter(j -> event[j]).mapToDouble(j -> stop[j]).sorted().distinct().toArray();
    }

    /** {@code rows} sorted by {@code key[row]}. */
    public static int[] sortedBy(int[] rows, double[] key) {
        return Arrays.stream(rows).boxed().sorted(Comparator.comparingDouble(j -> key[j])).mapToInt(Integer::intValue)
                .toArray();
    }
}
