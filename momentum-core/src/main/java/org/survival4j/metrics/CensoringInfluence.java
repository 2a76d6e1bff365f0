package org.survival4j.metrics;

import java.util.Arrays;

/**
 * How the Kaplan-Meier censoring weights of an IPCW metric move when one row is perturbed: the
 * part of the metric's influence function that comes from estimating \( \hat G \) on the same
 * rows (Gerds and Schumacher 2006, doi:10.1002/bimj.200610301; the form riskRegression's
 * {@code Score(..., cens.model = "km", conservative = FALSE)} uses).
 *
 * <p>With \( Y(u) \) the rows still at risk at \( u \) (\( T \ge u \)), \( d_C(u) \) the rows
 * censored at \( u \) and \( M(s) = \sum_{u \le s} n\, d_C(u) / Y(u)^2 \), the influence of row
 * \( k \) on the censoring cumulative hazard at \( s \) is
 * \[ \Lambda'_k(s) = \frac{n\,\mathbf 1[T_k \le s, \delta_k = 0]}{Y(T_k)} - M(\min(s, T_k)) , \]
 * and since \( 1/\hat G = e^{\hat\Lambda} \), a weighted term \( c_i = x_i / \hat G(s_i) \) moves
 * by \( c_i \Lambda'_k(s_i) \). An IPCW metric at horizon \( t \) weights cases at
 * \( s_i = T_i- \) and controls at \( s = t \), so {@link #term} returns, for every row \( k \),
 * \[ \sum_{i\ \mathrm{case}} c_i\, \Lambda'_k(T_i-) + C\, \Lambda'_k(t) , \]
 * with \( C \) the controls' total. Because \( \Lambda'_k(T_i-) \) is \( \Lambda'_k(T_k) \) for
 * \( T_i > T_k \) and \( -M(T_i-) \) otherwise, the sum over cases is two prefix sums:
 * \( O(n \log n) \) to build, \( O(n) \) per horizon.
 */
final class CensoringInfluence {
    private final double[] time;
    private final boolean[] event;
    /** Distinct times, ascending. */
    private final double[] unique;
    /** Index of each row's time in {@link #unique}. */
    private final int[] slot;
    /** \( M(u_q) \). */
    private final double[] cumulative;
    /** \( \Lambda'_k(T_k) \) of each row. */
    private final double[] atOwnTime;

    private CensoringInfluence(double[] time, boolean[] event) {
        int n = time.length;
        this.time = time;
        this.event = event;
        this.unique = Arrays.stream(time).sorted().distinct().toArray();
        int m = unique.length;
        int[] atTime = new int[m];
        int[] censored = new int[m];
        this.slot = new int[n];
        for (int i = 0; i < n; i++) {
            slot[i] = Arrays.binarySearch(unique, time[i]);
            atTime[slot[i]]++;
            if (!event[i]) {
                censored[slot[i]]++;
            }
        }
        this.cumulative = new double[m];
        double[] atRisk = new double[m];
        double y = n;
        double sum = 0;
        for (int q = 0; q < m; q++) {
            atRisk[q] = y;
            sum += n * censored[q] / (y * y);
            cumulative[q] = sum;
            y -= atTime[q];
        }
        this.atOwnTime = new double[n];
        for (int k = 0; k < n; k++) {
            atOwnTime[k] = (event[k] ? 0 : n / atRisk[slot[k]]) - cumulative[slot[k]];
        }
    }

    static CensoringInfluence of(double[] time, boolean[] event) {
        return new CensoringInfluence(time, event);
    }

    /**
     * \( \sum_{i\ \mathrm{case}} c_i \Lambda'_k(T_i-) + C \Lambda'_k(t) \) for every row \( k \).
     *
     * @param t the horizon
     * @param caseTerm \( c_i \) of the cases (\( T_i \le t, \delta_i = 1 \)); other entries are ignored
     * @param controlTotal \( C \)
     */
    double[] term(double t, double[] caseTerm, double controlTotal) {
        int m = unique.length;
        double[] caseSum = new double[m];
        double[] caseBeforeSum = new double[m];
        for (int i = 0; i < time.length; i++) {
            if (event[i] && time[i] <= t) {
                int q = slot[i];
                caseSum[q] += caseTerm[i];
                caseBeforeSum[q] += caseTerm[i] * (q == 0 ? 0 : cumulative[q - 1]);
            }
        }
        // later[q]: cases after u_q; earlier[q]: sum of c_i M(T_i-) over cases at or before u_q
        double[] later = new double[m];
        double[] earlier = new double[m];
        for (int q = m - 2; q >= 0; q--) {
            later[q] = later[q + 1] + caseSum[q + 1];
        }
        for (int q = 0; q < m; q++) {
            earlier[q] = (q == 0 ? 0 : earlier[q - 1]) + caseBeforeSum[q];
        }
        int last = upperIndex(t);
        double atHorizon = last < 0 ? 0 : -cumulative[last];
        double[] out = new double[time.length];
        for (int k = 0; k < time.length; k++) {
            int q = slot[k];
            double controls = time[k] <= t ? atOwnTime[k] : atHorizon;
            out[k] = later[q] * atOwnTime[k] - earlier[q] + controlTotal * controls;
        }
        return out;
    }

    /** Index of the last distinct time {@code <= t}, or -1. */
    private int upperIndex(double t) {
        int i = Arrays.binarySearch(unique, t);
        return i >= 0 ? i : -i - 2;
    }
}
