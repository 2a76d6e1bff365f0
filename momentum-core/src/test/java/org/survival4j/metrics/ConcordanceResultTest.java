package org.survival4j.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArgumentException;
import org.survival4j.testing.RandomSurvivalData;

/**
 * Standard errors, intervals and tests of the concordance index: the per-row counts against the
 * pairwise definition, Noether's formula written out, the jackknife as a derivative in the case
 * weights, and the bootstrap's reproducibility.
 */
class ConcordanceResultTest {
    static final double EXACT = 1e-12;
    /** Finite-difference step and tolerance for the influence check (central differences). */
    static final double STEP = 1e-6;
    static final double DERIVATIVE_TOLERANCE = 1e-7;

    private final RandomSurvivalData data = RandomSurvivalData.generate(120, 15, 1, 3);
    private final double[] risk = ConcordanceIndexTest.roundedRisk(data.logHz, 4);
    private final double[] time = data.time.toDoubleVector();
    private final double[] event = data.event.toDoubleVector();

    @Test
    void noetherMatchesTheFormulaOnPairwiseCounts() {
        int n = risk.length;
        PairwiseConcordance p = PairwiseConcordance.of(risk, time, event, ones(n), ones(n));
        double sa = 0;
        double sb = 0;
        double saa = 0;
        double sbb = 0;
        double sab = 0;
        for (int i = 0; i < n; i++) {
            double a = p.rowConcordant[i] + p.rowTied[i] / 2;
            double b = p.rowDiscordant[i] + p.rowTied[i] / 2;
            sa += a;
            sb += b;
            saa += a * (a - 1);
            sbb += b * (b - 1);
            sab += a * b;
        }
        double pa = sa / (n * (n - 1.0));
        double pb = sb / (n * (n - 1.0));
        double paa = saa / (n * (n - 1.0) * (n - 2.0));
        double pbb = sbb / (n * (n - 1.0) * (n - 2.0));
        double pab = sab / (n * (n - 1.0) * (n - 2.0));
        double variance = 4 * (pb * pb * paa - 2 * pa * pb * pab + pa * pa * pbb) / (n * Math.pow(pa + pb, 4));
        ConcordanceResult r = result();
        assertEquals(Math.sqrt(variance), r.standardError(), EXACT);
        assertEquals(r.standardError(), r.standardError(ConcordanceVariance.NOETHER), 0);
    }

    @Test
    void jackknifeInfluenceIsTheDerivativeInTheCaseWeights() {
        int n = risk.length;
        double[] influence = result().influence();
        for (int i = 0; i < n; i += 7) {
            double[] up = ones(n);
            double[] down = ones(n);
            up[i] += STEP;
            down[i] -= STEP;
            double derivative = (PairwiseConcordance.of(risk, time, event, ones(n), up).estimate()
                    - PairwiseConcordance.of(risk, time, event, ones(n), down).estimate()) / (2 * STEP);
            assertEquals(derivative, influence[i], DERIVATIVE_TOLERANCE, "row " + i);
        }
        double sum = 0;
        for (double d : influence) {
            sum += d * d;
        }
        assertEquals(Math.sqrt(sum), result().standardError(ConcordanceVariance.INFINITESIMAL_JACKKNIFE), EXACT);
    }

    @Test
    void intervalIsCenteredOnTheEstimateAndWidensWithConfidence() {
        ConcordanceResult r = result();
        ConfidenceInterval ci95 = r.confidenceInterval(0.05);
        ConfidenceInterval ci99 = r.confidenceInterval(0.01);
        assertEquals(r.estimate(), (ci95.lower() + ci95.upper()) / 2, EXACT);
        assertEquals(1.959963984540054 * r.standardError(), ci95.upper() - r.estimate(), 1e-12);
        assertTrue(ci99.lower() < ci95.lower() && ci99.upper() > ci95.upper());
    }

    @Test
    void pValueIsTheNormalTailOfTheDistanceFromOneHalf() {
        ConcordanceResult r = result();
        double z = (r.estimate() - 0.5) / r.standardError();
        assertEquals(2 * Normal.cdf(-Math.abs(z)), r.pValue(), EXACT);
    }

    @Test
    void aStrongScoreIsSignificant() {
        double[] strong = time.clone();
        for (int i = 0; i < strong.length; i++) {
            strong[i] = -time[i] + 3 * Math.sin(i); // mostly the reverse of time
        }
        ConcordanceResult r = ConcordanceIndex.harrellResult(Nd4j.createFromArray(strong), data.time, data.event);
        assertTrue(r.estimate() > 0.8);
        assertTrue(r.pValue() < 1e-6, "p = " + r.pValue());
        assertFalse(r.confidenceInterval(0.05).contains(0.5));
    }

    @Test
    void comparisonOfAScoreWithItselfHasNoDifference() {
        ConcordanceComparison cmp = ConcordanceComparison.harrell(Nd4j.createFromArray(risk),
                Nd4j.createFromArray(risk), data.time, data.event);
        assertEquals(0, cmp.difference(), 0);
        assertEquals(0, cmp.standardError(), 0);
        assertEquals(1, cmp.pValue(), 0);
    }

    @Test
    void comparisonVarianceIsTheVarianceOfTheInfluenceDifferences() {
        INDArray a = Nd4j.createFromArray(risk);
        INDArray b = data.logHz.add(Nd4j.createFromArray(time).mul(-0.05));
        ConcordanceComparison cmp = ConcordanceComparison.harrell(a, b, data.time, data.event);
        double[] da = cmp.first().influence();
        double[] db = cmp.second().influence();
        double v = 0;
        for (int i = 0; i < da.length; i++) {
            v += (da[i] - db[i]) * (da[i] - db[i]);
        }
        assertEquals(Math.sqrt(v), cmp.standardError(), EXACT);
        assertEquals(cmp.first().estimate() - cmp.second().estimate(), cmp.difference(), 0);
        // paired: much smaller than the independent-samples standard error
        double independent = Math.hypot(cmp.first().standardError(ConcordanceVariance.INFINITESIMAL_JACKKNIFE),
                cmp.second().standardError(ConcordanceVariance.INFINITESIMAL_JACKKNIFE));
        assertTrue(cmp.standardError() < independent);
    }

    @Test
    void bootstrapIsReproducibleForASeed() {
        ConcordanceBootstrap b1 = ConcordanceBootstrap.harrell(Nd4j.createFromArray(risk), data.time, data.event, 50, 9);
        ConcordanceBootstrap b2 = ConcordanceBootstrap.harrell(Nd4j.createFromArray(risk), data.time, data.event, 50, 9);
        ConcordanceBootstrap b3 = ConcordanceBootstrap.harrell(Nd4j.createFromArray(risk), data.time, data.event, 50, 10);
        assertArrayEquals(b1.replicates(), b2.replicates(), 0);
        assertFalse(java.util.Arrays.equals(b1.replicates(), b3.replicates()));
        assertEquals(result().estimate(), b1.estimate(), 0);
        assertEquals(0.5, b1.nullValue(), 0);
    }

    @Test
    void bootstrapStandardErrorAgreesWithNoether() {
        ConcordanceBootstrap b = ConcordanceBootstrap.harrell(Nd4j.createFromArray(risk), data.time, data.event, 400, 1);
        double noether = result().standardError();
        assertEquals(noether, b.standardError(), 0.3 * noether); // same order; the bootstrap is noisy
        ConfidenceInterval ci = b.confidenceInterval(0.05);
        assertTrue(ci.lower() < b.estimate() && b.estimate() < ci.upper());
    }

    @Test
    void bootstrapPercentilesAndPValueByHand() {
        double[] sorted = {0.1, 0.2, 0.3, 0.4, 0.5};
        assertEquals(0.3, BootstrapReplicates.quantile(sorted, 0.5), EXACT);
        assertEquals(0.11, BootstrapReplicates.quantile(sorted, 0.025), EXACT);
        assertEquals(0.5, BootstrapReplicates.quantile(sorted, 1), EXACT);
    }

    @Test
    void pairedBootstrapOfIdenticalScoresIsZero() {
        INDArray r = Nd4j.createFromArray(risk);
        ConcordanceBootstrap b = ConcordanceBootstrap.harrellDifference(r, r, data.time, data.event, 20, 4);
        assertEquals(0, b.estimate(), 0);
        assertEquals(0, b.nullValue(), 0);
        assertEquals(0, b.standardError(), 0);
        assertEquals(1, b.pValue(), 0);
    }

    @Test
    void unoBootstrapKeepsTheTrainingWeights() {
        ConcordanceBootstrap b = ConcordanceBootstrap.uno(Nd4j.createFromArray(risk), data.time, data.event,
                data.time, data.event, Double.POSITIVE_INFINITY, 30, 2);
        assertEquals(ConcordanceIndex.uno(Nd4j.createFromArray(risk), data.time, data.event, data.time, data.event),
                b.estimate(), 0);
        assertEquals(30, b.replicates().length);
    }

    @Test
    void rejectsBadAlphaAndReplicates() {
        assertThrows(SurvivalArgumentException.class, () -> result().confidenceInterval(1.5));
        assertThrows(SurvivalArgumentException.class,
                () -> ConcordanceBootstrap.harrell(Nd4j.createFromArray(risk), data.time, data.event, 1, 0));
    }

    private ConcordanceResult result() {
        return ConcordanceIndex.harrellResult(Nd4j.createFromArray(risk), data.time, data.event);
    }

    private static double[] ones(int n) {
        return ConcordanceIndexTest.ones(n);
    }
}
