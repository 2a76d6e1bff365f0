package org.survival4j.loss;

import org.survival4j.data.TimeGroups;

/**
 * The Cox negative partial log-likelihood and its gradient on plain arrays (SUM reduction).
 *
 * <p>For each group {@code k} of tied rows (one stratum, one time \( t_k \)) with \( d_k \) events
 * \( D_k \), risk-set sum \( S_k = \sum_{j \in R(t_k)} e^{\eta_j} \) and tied-event sum
 * \( E_k = \sum_{i \in D_k} e^{\eta_i} \), Efron's negative log-likelihood is
 * \[ -\ell = \sum_k \Big[ \sum_{l=0}^{d_k-1} \log\big(S_k - \tfrac{l}{d_k} E_k\big) - \sum_{i \in D_k} \eta_i \Big] \]
 * and Breslow's drops the \( \tfrac{l}{d_k} E_k \) term. With
 * \( A_k = \sum_l (S_k - \tfrac{l}{d_k}E_k)^{-1} \) and \( B_k = \sum_l \tfrac{l}{d_k}(S_k - \tfrac{l}{d_k}E_k)^{-1} \),
 * \[ \frac{\partial(-\ell)}{\partial \eta_j} = -\delta_j + e^{\eta_j} \sum_{k: t_k \le T_j} A_k - \delta_j e^{\eta_j} B_{k(j)} . \]
 *
 * <p>Two passes over the groups of each stratum: backwards in time to accumulate \( S_k \), forwards
 * to accumulate \( \sum A_k \). Every sum is kept as {@code exp(shift) * scaled} with the shift the
 * running maximum, so that log hazards of any finite size give finite results; each row costs
 * two or three {@code exp}.
 */
final class CoxKernel {
    private CoxKernel() {
    }

    /**
     * @param eta log hazards
     * @param event event indicators
     * @param groups the rows grouped by stratum and time
     * @param ties tie handling
     * @param gradient receives d(-l)/d eta for rows {@code >= firstRow} at index {@code row - firstRow};
     *                 {@code null} to skip the gradient
     * @param firstRow first row whose gradient is wanted
     * @return the negative partial log-likelihood, summed over events
     */
    static double negativeLogLikelihood(double[] eta, boolean[] event, TimeGroups groups, Ties ties,
                                        double[] gradient, int firstRow) {
        // Both passes walk the rows in time order. Gathering the inputs into that order once keeps the
        // passes sequential in memory; at 65536 rows, indexing through the permutation in every pass
        // costs a cache miss per row.
        int n = groups.rows();
        double[] sortedEta = new double[n];
        boolean[] sortedEvent = new boolean[n];
        for (int p = 0; p < n; p++) {
            int row = groups.row(p);
            sortedEta[p] = eta[row];
            sortedEvent[p] = event[row];
        }
        int groupCount = groups.groupCount();
        double[] logA = gradient == null ? null : new double[groupCount];
        double[] logB = gradient == null ? null : new double[groupCount];
        double[] logAB = new double[2];
        double nll = 0;
        for (int s = 0; s < groups.strataCount(); s++) {
            double shift = Double.NEGATIVE_INFINITY; // S = exp(shift) * scaled
            double scaled = 0;
            for (int g = groups.stratumEnd(s) - 1; g >= groups.stratumStart(s); g--) {
                double eShift = Double.NEGATIVE_INFINITY; // E = exp(eShift) * eScaled
                double eScaled = 0;
                double eventEtaSum = 0;
                for (int p = groups.groupStart(g); p < groups.groupEnd(g); p++) {
                    double x = sortedEta[p];
                    if (x <= shift) {
                        scaled += Math.exp(x - shift);
                    } else {
                        scaled = scaled * Math.exp(shift - x) + 1;
                        shift = x;
                    }
                    if (sortedEvent[p]) {
                        eventEtaSum += x;
                        if (x <= eShift) {
                            eScaled += Math.exp(x - eShift);
                        } else {
                            eScaled = eScaled * Math.exp(eShift - x) + 1;
                            eShift = x;
                        }
                    }
                }
                int d = groups.eventsInGroup(g);
                if (d == 0) {
                    if (logA != null) {
                        logA[g] = Double.NEGATIVE_INFINITY;
                    }
                    continue;
                }
                nll += eventTime(ties, d, shift + Math.log(scaled), eShift, eScaled, eventEtaSum, logAB);
                if (logA != null) {
                    logA[g] = logAB[0];
                    logB[g] = logAB[1];
                }
            }
        }
        if (gradient != null) {
            fillGradient(sortedEta, sortedEvent, groups, logA, logB, gradient, firstRow);
        }
        return nll;
    }

    /**
     * One event time's term of \( -\ell \), \( d \log S + \sum_l \log(1 - f_l r) - \sum_{i \in D} \eta_i \)
     * with \( r = E/S \) and \( f_l = l/d \) (Efron; 0 for Breslow), and in {@code logAB} the logs of
     * its \( A = \sum_l (S - f_l E)^{-1} \) and \( B = \sum_l f_l (S - f_l E)^{-1} \) ({@code -Infinity}
     * for a zero {@code B}). \( E = e^{eShift} \cdot eScaled \) is read only for Efron with ties.
     */
    static double eventTime(Ties ties, int d, double logS, double eShift, double eScaled, double eventEtaSum,
                            double[] logAB) {
        double tiedTerms = 0; // sum_l log(1 - f_l r), r = E/S
        double a = d;         // sum_l 1/(1 - f_l r)
        double b = 0;         // sum_l f_l/(1 - f_l r)
        if (ties == Ties.EFRON && d > 1) {
            double r = Math.min(1.0, Math.exp(eShift + Math.log(eScaled) - logS));
            a = 0;
            for (int l = 0; l < d; l++) {
                double f = (double) l / d;
                double q = 1 - f * r;
                tiedTerms += Math.log1p(-f * r);
                a += 1 / q;
                b += f / q;
            }
        }
        logAB[0] = Math.log(a) - logS;
        logAB[1] = b == 0 ? Double.NEGATIVE_INFINITY : Math.log(b) - logS;
        return d * logS + tiedTerms - eventEtaSum;
    }

    /** Pass 2 on the inputs in time order ({@code sortedEta[p]} is the row {@code groups.row(p)}). */
    private static void fillGradient(double[] sortedEta, boolean[] sortedEvent, TimeGroups groups, double[] logA,
                                     double[] logB, double[] gradient, int firstRow) {
        for (int s = 0; s < groups.strataCount(); s++) {
            // C = sum_{k: t_k <= t_g} A_k, kept as exp(shift) * scaled like S in pass 1. Every row at
            // risk at the largest A_k has e^eta <= S_k there, so e^(eta + shift) stays below d.
            double shift = Double.NEGATIVE_INFINITY;
            double scaled = 0;
            for (int g = groups.stratumStart(s); g < groups.stratumEnd(s); g++) {
                double a = logA[g];
                if (a != Double.NEGATIVE_INFINITY) {
                    if (a <= shift) {
                        scaled += Math.exp(a - shift);
                    } else {
                        scaled = scaled * Math.exp(shift - a) + 1;
                        shift = a;
                    }
                }
                for (int p = groups.groupStart(g); p < groups.groupEnd(g); p++) {
                    int row = groups.row(p);
                    if (row < firstRow) {
                        continue;
                    }
                    double x = sortedEta[p];
                    double gr = scaled == 0 ? 0 : Math.exp(x + shift) * scaled;
                    if (sortedEvent[p]) {
                        gr -= 1 + Math.exp(x + logB[g]);
                    }
                    gradient[row - firstRow] = gr;
                }
            }
        }
    }
}
