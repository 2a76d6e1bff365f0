package org.survival4j.metrics;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SubdistributionRiskSets;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.data.TimeGroups;
import org.survival4j.loss.Ties;

/**
 * The predicted cumulative incidence of one cause under a Fine-Gray model (Fine and Gray 1999,
 * doi:10.1080/01621459.1999.10474144): a Breslow-type baseline of the subdistribution hazard,
 * fitted with the censoring-weighted risk sets of {@link org.survival4j.loss.FineGray}.
 *
 * <p>With the weighted risk-set sums \( S_g \) of {@link SubdistributionRiskSets} at the event
 * times \( t_g \) of the cause of interest (\( d_g \) events, their hazards summing to \( E_g \)),
 * \[ \Delta\hat\Lambda_0(t_g) = \frac{d_g}{S_g}\ \text{(Breslow)}, \qquad
 *    \Delta\hat\Lambda_0(t_g) = \sum_{l=0}^{d_g-1} \frac{1}{S_g - \tfrac{l}{d_g}E_g}\ \text{(Efron)}, \qquad
 *    \hat F(t \mid \eta) = 1 - \exp\big(-e^{\eta}\,\hat\Lambda_0(t)\big) . \]
 * These are R's {@code 1 - survfit(coxph(Surv(fgstart, fgstop, fgstatus) ~ x, weights = fgwt,
 * ties), newdata)$surv} on {@code finegray()}'s expansion; the golden tests match them to 1e-12.
 * With strata each stratum has its own censoring estimate, risk sets and baseline.
 *
 * <p>Immutable and thread-safe; a look-up is a binary search.
 *
 * @since 0.3
 */
public final class FineGrayIncidence {
    private final int cause;
    private final BreslowBaseline baseline;

    private FineGrayIncidence(int cause, BreslowBaseline baseline) {
        this.cause = cause;
        this.baseline = baseline;
    }

    /**
     * Fits the baseline from the training rows.
     *
     * @param logHz the model's log subdistribution hazards of the training rows, {@code [n]}, finite
     * @param time their observed times
     * @param cause 0 = censored, otherwise the cause of the event; at least one event of {@code k}
     * @param k the cause of interest, {@code >= 1}
     * @param strata a stratum label per row, or {@code null}
     * @param ties {@link Ties#EFRON} or {@link Ties#BRESLOW} increments, as the model was trained
     */
    public static FineGrayIncidence fit(INDArray logHz, INDArray time, INDArray cause, int k, int[] strata,
                                        Ties ties) {
        SurvivalArguments.checkNotNull(ties, "ties");
        SurvivalArguments.atLeast(k, "k", 1);
        double[] eta = SurvivalArguments.finiteVector(logHz, "logHz");
        int n = eta.length;
        double[] t = SurvivalArguments.time(time, "time", n);
        int[] c = SurvivalArguments.anyCause(SurvivalArguments.finiteVector(cause, "cause"), "cause", n);
        SurvivalArguments.strata(strata, "strata", n);
        SubdistributionRiskSets riskSets = SubdistributionRiskSets.of(t, c, k, strata);
        TimeGroups groups = riskSets.groups();
        SurvivalArguments.checkDefined(groups.events() > 0, "the Fine-Gray baseline", "no event of cause " + k);
        boolean[] event = new boolean[n];
        for (int i = 0; i < n; i++) {
            event[i] = riskSets.isEvent(i);
        }
        return new FineGrayIncidence(k, BreslowBaseline.fromGroups(groups, strata, eta, event,
                riskSets.logRiskSums(eta), ties));
    }

    /**
     * Rebuilds a fit from its baseline (as {@link #baseline()} gives it, e.g. read back from a
     * file): the same predictions as the fit it came from.
     *
     * @param k the cause of interest, {@code >= 1}
     */
    public static FineGrayIncidence of(int k, BreslowBaseline baseline) {
        return new FineGrayIncidence(SurvivalArguments.atLeast(k, "k", 1),
                SurvivalArguments.checkNotNull(baseline, "baseline"));
    }

    /** The cause of interest. */
    public int cause() {
        return cause;
    }

    /** The baseline cumulative subdistribution hazard, as a {@link BreslowBaseline} (for saving or inspection). */
    public BreslowBaseline baseline() {
        return baseline;
    }

    /**
     * Predicted cumulative incidence curves.
     *
     * @param logHz log subdistribution hazards of the rows to predict, {@code [m]}, finite
     * @param strata each row's fitted stratum, or {@code null} for an unstratified fit
     * @param times where to evaluate, each finite and {@code >= 0}
     * @return \( \hat F(t_j \mid \eta_i) \), double {@code [m, times.length]}
     */
    public INDArray cumulativeIncidence(INDArray logHz, int[] strata, double... times) {
        double[][] f = baseline.cumulativeHazards(logHz, strata, times);
        for (double[] row : f) {
            for (int j = 0; j < row.length; j++) {
                row[j] = -Math.expm1(-row[j]); // 1 - e^-H without cancellation for small H
            }
        }
        return Nd4j.createFromArray(f);
    }

    @Override
    public String toString() {
        return "FineGrayIncidence(cause " + cause + ", " + baseline + ")";
    }
}
