package org.survival4j.examples.competing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.metrics.BrierScore;
import org.survival4j.metrics.ConcordanceIndex;
import org.survival4j.metrics.ConcordanceResult;
import org.survival4j.metrics.InfluenceEstimate;
import org.survival4j.metrics.TimeDependentAuc;

/**
 * The study's metrics of one model's predicted cumulative incidences on the held-out rows, per
 * cause \( k \) and horizon \( t \): the IPCW AUC and Brier score of \( \hat F_k(t) \) with their
 * influence-function standard errors (riskRegression's {@code Score(..., cause = k,
 * conservative = FALSE)}, the censoring estimated on the held-out rows), and Wolbers' concordance
 * of \( \hat F_k \) at the last horizon.
 */
final class CauseSpecificScores {
    /** One number of the results: {@code horizon} is the last one for the concordance. */
    record Row(String dataset, String model, long seed, int cause, String metric, double horizon, double estimate,
               double se) {
        static final String HEADER = "dataset,model,seed,cause,metric,horizon,estimate,se";

        String csv() {
            return String.format(Locale.ROOT, "%s,%s,%d,%d,%s,%s,%.17g,%.17g", dataset, model, seed, cause, metric,
                    horizonText(), estimate, se);
        }

        /** The horizon as written: whole numbers without a decimal point. */
        String horizonText() {
            return horizon == Math.rint(horizon) ? Long.toString((long) horizon) : Double.toString(horizon);
        }
    }

    /** A model's predicted incidence of cause {@code k} at {@code t} for each held-out row, in their order. */
    interface Incidence {
        double[] at(int cause, double t);
    }

    private CauseSpecificScores() {
    }

    /**
     * Every metric of {@code f}; a Brier score of predictions off the probability scale (which the
     * library refuses; R's linear cause-specific model gives one on Melanoma) is NaN.
     *
     * @param brierOnly for a model without covariates, whose AUC and concordance are 1/2 by construction
     */
    static List<Row> score(CompetingRisksData data, String model, long seed, Incidence f, boolean brierOnly) {
        INDArray time = Nd4j.createFromArray(data.test().time());
        INDArray cause = Nd4j.createFromArray(data.test().event());
        double[] horizons = data.horizons();
        List<Row> rows = new ArrayList<>();
        for (int k = 1; k <= CauseSpecificNetwork.CAUSES; k++) {
            for (double t : horizons) {
                INDArray incidence = Nd4j.createFromArray(f.at(k, t));
                if (!brierOnly) {
                    InfluenceEstimate auc = TimeDependentAuc.causeSpecificInference(incidence, t, time, cause, k);
                    rows.add(new Row(data.name(), model, seed, k, "auc", t, auc.estimate(), auc.standardError()));
                }
                double brier = Double.NaN;
                double se = Double.NaN;
                if (incidence.minNumber().doubleValue() >= 0 && incidence.maxNumber().doubleValue() <= 1) {
                    InfluenceEstimate b = BrierScore.causeSpecificInference(incidence, t, time, cause, k);
                    brier = b.estimate();
                    se = b.standardError();
                }
                rows.add(new Row(data.name(), model, seed, k, "brier", t, brier, se));
            }
            if (!brierOnly) {
                double last = horizons[horizons.length - 1];
                ConcordanceResult c = ConcordanceIndex.causeSpecificResult(Nd4j.createFromArray(f.at(k, last)), time,
                        cause, k);
                rows.add(new Row(data.name(), model, seed, k, "concordance", last, c.estimate(), c.standardError()));
            }
        }
        return rows;
    }
}
