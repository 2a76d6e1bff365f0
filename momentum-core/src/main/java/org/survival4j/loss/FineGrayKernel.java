package org.survival4j.loss;

import org.survival4j.data.LogSumExpTree;
import org.survival4j.data.SubdistributionRiskSets;
import org.survival4j.data.TimeGroups;

/**
 * The Fine-Gray negative partial log-likelihood and its gradient on checked arrays (SUM
 * reduction). With the weighted risk-set sums \( S_g \) of {@link SubdistributionRiskSets} and, per
 * event time of the cause of interest, \( D_g \), \( E_g \), \( A_g \), \( B_g \) as in
 * {@link CoxKernel} (Efron or Breslow; the events have weight 1),
 * \[ -\ell = \sum_g \Big[ \sum_{l=0}^{d_g-1} \log\big(S_g - \tfrac{l}{d_g} E_g\big) - \sum_{i \in D_g} \eta_i \Big], \]
 * \[ \frac{\partial(-\ell)}{\partial \eta_j} = -\delta_j + e^{\eta_j} \sum_{g:\, t_g \le T_j} A_g
 *    + \mathbf 1[j\ \mathrm{competing}]\, \frac{e^{\eta_j}}{\hat G(T_j-)} \sum_{g:\, t_g > T_j} \hat G(t_g-) A_g
 *    - \delta_j e^{\eta_j} B_{g(j)} . \]
 * The second sum is the derivative through the weights of a competing row; it equals the sum of
 * {@code fgwt} times minus the martingale residual over that row's rows of {@code finegray}'s output.
 * Sums over groups run as log-sum-exp prefix and suffix sums: \( O(n) \) after the grouping.
 */
final class FineGrayKernel {
    private FineGrayKernel() {
    }

    /**
     * @param eta log subdistribution hazards
     * @param riskSets the labels' risk sets
     * @param ties tie handling among events of the cause of interest
     * @param gradient receives d(-l)/d eta for rows {@code >= firstRow} at {@code row - firstRow}, or null
     * @param firstRow first row whose gradient is wanted
     * @return the negative partial log-likelihood, summed over the events of the cause of interest
     */
    static double negativeLogLikelihood(double[] eta, SubdistributionRiskSets riskSets, Ties ties, double[] gradient,
                                       int firstRow) {
        TimeGroups groups = riskSets.groups();
        double[] logS = riskSets.logRiskSums(eta);
        int count = groups.groupCount();
        double[] logA = new double[count];
        double[] logB = new double[count];
        double[] logAB = new double[2];
        double nll = 0;
        for (int g = 0; g < count; g++) {
            int d = groups.eventsInGroup(g);
            logA[g] = Double.NEGATIVE_INFINITY;
            if (d == 0) {
                continue;
            }
            double logE = Double.NEGATIVE_INFINITY;
            double eventEtaSum = 0;
            for (int p = groups.groupStart(g); p < groups.groupEnd(g); p++) {
                int row = groups.row(p);
                if (riskSets.isEvent(row)) {
                    logE = LogSumExpTree.logAdd(logE, eta[row]);
                    eventEtaSum += eta[row];
                }
            }
            nll += CoxKernel.eventTime(ties, d, logS[g], logE, 1, eventEtaSum, logAB);
            logA[g] = logAB[0];
            logB[g] = logAB[1];
        }
        if (gradient != null) {
            fillGradient(eta, riskSets, logA, logB, gradient, firstRow);
        }
        return nll;
    }

    private static void fillGradient(double[] eta, SubdistributionRiskSets riskSets, double[] logA, double[] logB,
                                     double[] gradient, int firstRow) {
        TimeGroups groups = riskSets.groups();
        for (int s = 0; s < groups.strataCount(); s++) {
            int first = groups.stratumStart(s);
            int end = groups.stratumEnd(s);
            // after[g]: log sum over later event groups h > g of G(t_h-) A_h
            double[] after = new double[end - first];
            double acc = Double.NEGATIVE_INFINITY;
            for (int g = end - 1; g >= first; g--) {
                after[g - first] = acc;
                if (logA[g] != Double.NEGATIVE_INFINITY) {
                    acc = LogSumExpTree.logAdd(acc, riskSets.logCensoringSurvivalBefore(g) + logA[g]);
                }
            }
            double upTo = Double.NEGATIVE_INFINITY; // log sum of A_h over h <= g
            for (int g = first; g < end; g++) {
                upTo = LogSumExpTree.logAdd(upTo, logA[g]);
                for (int p = groups.groupStart(g); p < groups.groupEnd(g); p++) {
                    int row = groups.row(p);
                    if (row < firstRow) {
                        continue;
                    }
                    double x = eta[row];
                    double gr = upTo == Double.NEGATIVE_INFINITY ? 0 : Math.exp(x + upTo);
                    if (riskSets.competing(row) && after[g - first] != Double.NEGATIVE_INFINITY) {
                        gr += Math.exp(x - riskSets.logCensoringSurvivalBefore(g) + after[g - first]);
                    }
                    if (riskSets.isEvent(row)) {
                        gr -= 1 + Math.exp(x + logB[g]);
                    }
                    gradient[row - firstRow] = gr;
                }
            }
        }
    }
}
