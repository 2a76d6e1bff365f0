package org.survival4j.data;

import java.util.Arrays;

/**
 * Rows grouped by stratum and by distinct time: the structure behind every risk set.
 *
 * <p>Rows are ordered by stratum, then by time ascending. A <em>group</em> is a run of rows of one
 * stratum that share one time value (ties by value, whatever the input order). The risk set at the
 * time of group {@code g}, \( R(t_g) = \{ j : T_j \ge t_g \} \) within the stratum, is then the
 * union of {@code g} and the later groups of its stratum, so a cumulative sum over groups from the
 * end of each stratum gives every risk set in one pass.
 *
 * <p>Building costs \( O(n) \) passes of a radix sort on the times (at most 8, usually 3-4) plus a
 * counting sort by stratum; no comparison sort. It depends only on the labels, never on the model outputs, so it can be
 * computed once per batch and reused (the SameDiff losses feed it to their graphs).
 *
 * <pre>{@code
 * TimeGroups g = TimeGroups.of(new double[] {5, 2, 5, 9}, new boolean[] {true, false, true, false}, null);
 * g.groupCount();        // 3: times 2, 5 (two rows) and 9
 * g.eventsInGroup(1);    // 2
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class TimeGroups {
    private final int[] order;
    private final int[] groupStart;
    private final int[] groupEvents;
    private final int[] stratumStart;
    private final int[] groupOfRow;
    private final double[] groupTime;
    private final int events;

    private TimeGroups(int[] order, int[] groupStart, int[] groupEvents, int[] stratumStart,
                       int[] groupOfRow, double[] groupTime, int events) {
        this.order = order;
        this.groupStart = groupStart;
        this.groupEvents = groupEvents;
        this.stratumStart = stratumStart;
        this.groupOfRow = groupOfRow;
        this.groupTime = groupTime;
        this.events = events;
    }

    /**
     * Groups validated labels (see {@link SurvivalArguments}).
     *
     * @param time observed times, finite and {@code >= 0}
     * @param event {@code true} where an event was observed
     * @param strata a stratum label per row, or {@code null} for a single stratum
     * @return the grouping
     */
    public static TimeGroups of(double[] time, boolean[] event, int[] strata) {
        int n = time.length;
        int[] order = sortedByTime(time);
        int strataCount = 1;
        int[] stratumRank = new int[n];
        if (strata != null) {
            int[] labels = strata.clone();
            Arrays.sort(labels);
            int s = 0;
            for (int i = 0; i < n; i++) {
                if (i == 0 || labels[i] != labels[s - 1]) {
                    labels[s++] = labels[i];
                }
            }
            for (int i = 0; i < n; i++) {
                stratumRank[i] = Arrays.binarySearch(labels, 0, s, strata[i]);
            }
            order = countingSort(order, stratumRank, s); // stable: time order kept within a stratum
            strataCount = s;
        }

        int[] groupStart = new int[n + 1];
        int[] groupEvents = new int[n];
        double[] groupTime = new double[n];
        int[] stratumStart = new int[strataCount + 1];
        int[] groupOfRow = new int[n];
        int groups = 0;
        int strataSeen = 0;
        int totalEvents = 0;
        for (int p = 0; p < n; p++) {
            int row = order[p];
            boolean newStratum = p == 0 || stratumRank[row] != stratumRank[order[p - 1]];
            if (newStratum) {
                stratumStart[strataSeen++] = groups;
            }
            if (newStratum || time[row] != time[order[p - 1]]) {
                groupStart[groups] = p;
                groupTime[groups] = time[row];
                groups++;
            }
            groupOfRow[row] = groups - 1;
            if (event[row]) {
                groupEvents[groups - 1]++;
                totalEvents++;
            }
        }
        groupStart[groups] = n;
        stratumStart[strataSeen] = groups;
        return new TimeGroups(order, Arrays.copyOf(groupStart, groups + 1), Arrays.copyOf(groupEvents, groups),
                Arrays.copyOf(stratumStart, strataSeen + 1), groupOfRow, Arrays.copyOf(groupTime, groups),
                totalEvents);
    }

    /** Number of rows. */
    public int rows() {
        return order.length;
    }

    /** Number of groups (distinct (stratum, time) pairs). */
    public int groupCount() {
        return groupEvents.length;
    }

    /** Number of strata. */
    public int strataCount() {
        return stratumStart.length - 1;
    }

    /** Total number of events. */
    public int events() {
        return events;
    }

    /** The row at position {@code p} of the (stratum, time ascending) order. */
    public int row(int p) {
        return order[p];
    }

    /** First position (in {@link #row(int)} order) of group {@code g}. */
    public int groupStart(int g) {
        return groupStart[g];
    }

    /** One past the last position of group {@code g}. */
    public int groupEnd(int g) {
        return groupStart[g + 1];
    }

    /** Number of events in group {@code g}. */
    public int eventsInGroup(int g) {
        return groupEvents[g];
    }

    /** The time shared by the rows of group {@code g}. */
    public double groupTime(int g) {
        return groupTime[g];
    }

    /** First group of stratum {@code s} (strata numbered by ascending label). */
    public int stratumStart(int s) {
        return stratumStart[s];
    }

    /** One past the last group of stratum {@code s}. */
    public int stratumEnd(int s) {
        return stratumStart[s + 1];
    }

    /** The group that row {@code row} belongs to. */
    public int groupOf(int row) {
        return groupOfRow[row];
    }

    /**
     * Rows ordered by time, ascending, ties in input order: an LSD radix sort on the IEEE bits of the
     * times, which for non-negative doubles order as the numbers do ({@code + 0.0} maps -0.0 to 0.0).
     * Byte positions shared by all keys are skipped, so typical times take 3-4 passes.
     */
    private static int[] sortedByTime(double[] time) {
        int n = time.length;
        long[] keys = new long[n];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            keys[i] = Double.doubleToRawLongBits(time[i] + 0.0);
            order[i] = i;
        }
        long[] keyBuffer = new long[n];
        int[] orderBuffer = new int[n];
        int[] count = new int[257];
        for (int shift = 0; shift < 64; shift += 8) {
            Arrays.fill(count, 0);
            for (long k : keys) {
                count[(int) ((k >>> shift) & 0xFF) + 1]++;
            }
            if (n == 0 || count[(int) ((keys[0] >>> shift) & 0xFF) + 1] == n) {
                continue; // every key has the same byte here
            }
            for (int b = 0; b < 256; b++) {
                count[b + 1] += count[b];
            }
            for (int i = 0; i < n; i++) {
                int slot = count[(int) ((keys[i] >>> shift) & 0xFF)]++;
                keyBuffer[slot] = keys[i];
                orderBuffer[slot] = order[i];
            }
            long[] k = keys;
            keys = keyBuffer;
            keyBuffer = k;
            int[] o = order;
            order = orderBuffer;
            orderBuffer = o;
        }
        return order;
    }

    /** Stable counting sort of {@code items} by {@code key[item]} in {@code [0, range)}. */
    private static int[] countingSort(int[] items, int[] key, int range) {
        int[] start = new int[range + 1];
        for (int item : items) {
            start[key[item] + 1]++;
        }
        for (int r = 0; r < range; r++) {
            start[r + 1] += start[r];
        }
        int[] sorted = new int[items.length];
        for (int item : items) {
            sorted[start[key[item]]++] = item;
        }
        return sorted;
    }
}
