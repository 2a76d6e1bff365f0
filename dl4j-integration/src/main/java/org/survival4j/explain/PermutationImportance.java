package org.survival4j.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.metrics.BrierScore;
import org.survival4j.metrics.ConcordanceIndex;
import org.survival4j.metrics.RepeatedEstimate;
import org.survival4j.metrics.TimeDependentAuc;
import org.survival4j.model.SurvivalModel;

/**
 * Permutation importance of each feature (group) of a {@link SurvivalModel} for three metrics on
 * test rows: Harrell's C of the risk score, the time-dependent AUC at \( t \) of the predicted
 * risk \( 1 - \hat S(t \mid x) \) and the IPCW Brier score at \( t \) of \( \hat S(t \mid x) \)
 * (the censoring weights from the test rows themselves). Breiman 2001 (doi:10.1023/A:1010933404324);
 * the model-agnostic form of Fisher, Rudin and Dominici 2019 (JMLR 20(177), "model reliance").
 *
 * <p>For group \( g \) and repeat \( r \), the group's columns are permuted jointly across the
 * rows (one permutation for all of them, so a one-hot group keeps valid codes), everything else
 * kept; the importance is the loss of performance,
 * \[ \mathrm{VI}_{g,r} = M(\text{original}) - M(\text{permuted}) \ \text{for C and AUC}, \qquad
 *    \mathrm{BS}(\text{permuted}) - \mathrm{BS}(\text{original}) \ \text{for the Brier score}, \]
 * so larger = more important and about 0 = unused. Each group's mean over the \( R \) repeats comes
 * as a {@link RepeatedEstimate} with its Student-t interval, which reflects which permutations
 * were drawn, not the sampling of the test rows. Permutations come from one
 * {@link SplittableRandom} seeded once: the same seed gives the same result.
 *
 * <p>Correlated features share importance (permuting one leaves its information in the other)
 * and permuting creates rows unlike the data; group correlated features, or read the result
 * as "what the model relies on", not "what matters in nature".
 *
 * <pre>{@code
 * PermutationImportance vi = PermutationImportance.compute(model, xTest, time, event, 1825,
 *         FeatureGroup.byRawColumn(model), 20, 42L);
 * vi.ranking(PermutationImportance.Metric.CONCORDANCE);      // group names, most important first
 * vi.importance(PermutationImportance.Metric.BRIER).get(0).confidenceInterval(0.05);
 * }</pre>
 *
 * <p>Cost: \( 1 + G R \) predictions of the test rows and the metrics on each. Immutable.
 *
 * @since 0.2
 */
public final class PermutationImportance {
    /** The metrics whose loss measures importance. */
    public enum Metric {
        /** Harrell's C of {@link SurvivalModel#risk(double[][])}. */
        CONCORDANCE,
        /** The cumulative/dynamic AUC at the horizon of \( 1 - \hat S(t \mid x) \). */
        AUC,
        /** The IPCW Brier score at the horizon of \( \hat S(t \mid x) \) (lower is better). */
        BRIER
    }

    private final double horizon;
    private final List<FeatureGroup> groups;
    private final double[] original;
    private final List<List<RepeatedEstimate>> importance; // [metric][group]

    private PermutationImportance(double horizon, List<FeatureGroup> groups, double[] original,
                                  List<List<RepeatedEstimate>> importance) {
        this.horizon = horizon;
        this.groups = groups;
        this.original = original;
        this.importance = importance;
    }

    /**
     * Computes the importances.
     *
     * @param model an unstratified model
     * @param x encoded test rows {@code [n][model.inputs()]}
     * @param time their observed times
     * @param event their event indicators (1 = event, 0 = censored)
     * @param t the horizon of the AUC and the Brier score, {@code > 0}
     * @param groups the features, each a set of input columns (e.g. {@link FeatureGroup#eachColumn})
     * @param repeats permutations per group, at least 2
     * @param seed the seed of the permutations
     */
    public static PermutationImportance compute(SurvivalModel model, double[][] x, double[] time, double[] event,
                                                double t, List<FeatureGroup> groups, int repeats, long seed) {
        Predictions.check(model);
        Predictions.horizon(t);
        List<FeatureGroup> g = FeatureGroup.check(groups, model.inputs(), false);
        SurvivalArguments.atLeast(repeats, "repeats", 2);
        int n = SurvivalArguments.checkNotNull(x, "x").length;
        INDArray timeArray = Nd4j.createFromArray(SurvivalArguments.time(time.clone(), "time", n));
        SurvivalArguments.event(event, "event", n);
        INDArray eventArray = Nd4j.createFromArray(event.clone());
        Scorer scorer = new Scorer(model, t, timeArray, eventArray);
        double[] original = scorer.score(x);
        double[][][] loss = new double[Metric.values().length][g.size()][repeats];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int r = 0; r < repeats; r++) {
            for (int k = 0; k < g.size(); k++) {
                double[] permuted = scorer.score(permuteColumns(x, g.get(k).columns(), rng));
                for (Metric m : Metric.values()) {
                    int i = m.ordinal();
                    loss[i][k][r] = m == Metric.BRIER ? permuted[i] - original[i] : original[i] - permuted[i];
                }
            }
        }
        List<List<RepeatedEstimate>> importance = new ArrayList<>();
        for (Metric m : Metric.values()) {
            List<RepeatedEstimate> perGroup = new ArrayList<>();
            for (int k = 0; k < g.size(); k++) {
                perGroup.add(RepeatedEstimate.of("importance of " + g.get(k).name() + " for " + name(m, t),
                        loss[m.ordinal()][k]));
            }
            importance.add(List.copyOf(perGroup));
        }
        return new PermutationImportance(t, g, original, List.copyOf(importance));
    }

    /** The horizon of the AUC and the Brier score. */
    public double horizon() {
        return horizon;
    }

    /** The feature groups, in the order given. */
    public List<FeatureGroup> groups() {
        return groups;
    }

    /** The metric on the unpermuted test rows. */
    public double original(Metric metric) {
        return original[metric.ordinal()];
    }

    /** Each group's importance for {@code metric} (mean over repeats with its interval), in the order of {@link #groups()}. */
    public List<RepeatedEstimate> importance(Metric metric) {
        return importance.get(metric.ordinal());
    }

    /** The group names by decreasing mean importance for {@code metric}. */
    public List<String> ranking(Metric metric) {
        List<RepeatedEstimate> vi = importance(metric);
        return IntStream.range(0, groups.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer k) -> -vi.get(k).mean()))
                .map(k -> groups.get(k).name()).toList();
    }

    /** Rows with the given columns permuted together (one permutation drawn from {@code rng}). */
    static double[][] permuteColumns(double[][] x, int[] columns, SplittableRandom rng) {
        int n = x.length;
        int[] perm = randomPermutation(n, rng);
        double[][] out = Predictions.copy(x);
        for (int i = 0; i < n; i++) {
            for (int c : columns) {
                out[i][c] = x[perm[i]][c];
            }
        }
        return out;
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    static int[] randomPermutation(int n, SplittableRandom rng) {
        int[] perm = IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        return perm;
    }

    private static String name(Metric m, double t) {
        return switch (m) {
            case CONCORDANCE -> "Harrell's C";
            case AUC -> "the AUC at t = " + t;
            case BRIER -> "the Brier score at t = " + t;
        };
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "PermutationImportance(t = %s; C %.4f, AUC %.4f,"
                + " Brier %.4f)", horizon, original[0], original[1], original[2]));
        for (int k = 0; k < groups.size(); k++) {
            s.append(String.format(Locale.ROOT, "%n  %s: C %+.4f, AUC %+.4f, Brier %+.4f", groups.get(k).name(),
                    importance.get(0).get(k).mean(), importance.get(1).get(k).mean(), importance.get(2).get(k).mean()));
        }
        return s.toString();
    }

    /** The three metrics of one set of rows. */
    private record Scorer(SurvivalModel model, double t, INDArray time, INDArray event) {
        double[] score(double[][] x) {
            double[] s = Predictions.survivalAt(model, x, t);
            double[] riskAtT = new double[s.length];
            for (int i = 0; i < s.length; i++) {
                riskAtT[i] = 1 - s[i];
            }
            return new double[] {
                ConcordanceIndex.harrell(Nd4j.createFromArray(model.risk(x)), time, event),
                TimeDependentAuc.at(Nd4j.createFromArray(riskAtT), t, time, event, time, event),
                BrierScore.at(Nd4j.createFromArray(s), t, time, event, time, event)};
        }
    }
}
