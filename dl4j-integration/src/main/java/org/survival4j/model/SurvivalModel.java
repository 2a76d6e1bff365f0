package org.survival4j.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.survival4j.data.NDArrays;
import org.survival4j.data.SurvivalArguments;
import org.survival4j.dl4j.CauseSpecificCoxLossFunction;
import org.survival4j.dl4j.CoxLossFunction;
import org.survival4j.dl4j.DeepHitLossFunction;
import org.survival4j.dl4j.FineGrayLossFunction;
import org.survival4j.dl4j.GridHazardLossFunction;
import org.survival4j.dl4j.Momentum;
import org.survival4j.dl4j.WeibullLossFunction;
import org.survival4j.loss.GridHazardLikelihood;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.metrics.BreslowBaseline;
import org.survival4j.metrics.CauseSpecificIncidence;
import org.survival4j.metrics.FineGrayIncidence;

/**
 * A trained survival model, ready to deploy: the network that predicts, what turns raw rows into
 * its inputs (an optional {@link FeatureRecipe}) and what turns its outputs into survival curves.
 * One file holds all of it ({@link #save}, {@link #load}); loading checks every part.
 *
 * <p>The form of the curves follows the loss of the network's output layer:
 * <ul>
 *   <li><b>Cox</b> ({@link CoxLossFunction}, output \( \eta \) = log relative hazard):
 *       \( H(t \mid x) = \hat H_0(t)\, e^{\eta} \), \( S = e^{-H} \), with the baseline
 *       \( \hat H_0 \) fitted on the training rows (Breslow's estimator, or Efron's when the loss
 *       uses Efron's ties; per stratum for a stratified model; with entry times for
 *       counting-process labels): a right-continuous step function that jumps at the training
 *       event times, as R's {@code survfit} of a {@code coxph} fit with these coefficients
 *       ({@link BreslowBaseline}).</li>
 *   <li><b>Weibull</b> ({@link WeibullLossFunction}, outputs \( \log\lambda, \log\rho \)): closed form
 *       \( H(t \mid x) = (t/\lambda)^{\rho} \).</li>
 *   <li><b>Grid hazard</b> ({@link GridHazardLossFunction}, log hazards at the knots): the hazard
 *       linear between knots and constant after the last, \( H \) its exact integral
 *       ({@link GridHazardLikelihood}).</li>
 * </ul>
 * <b>Competing risks</b> (labels (time, cause), cause 0 = censored, 1..K): the curves are the
 * cumulative incidences \( F_k(t \mid x) = \Pr(T \le t, \text{cause } k \mid x) \)
 * ({@link #cumulativeIncidence(double[][], int[], int, double...)}):
 * <ul>
 *   <li><b>Cause-specific Cox</b> ({@link CauseSpecificCoxLossFunction}, one log hazard per cause):
 *       a baseline per cause (Breslow's or Efron's, as the loss's ties; per stratum) and the product
 *       integral over the causes, as riskRegression's {@code CSC} with {@code predictRisk}
 *       ({@link CauseSpecificIncidence});</li>
 *   <li><b>Fine-Gray</b> ({@link FineGrayLossFunction}, the log subdistribution hazard of one cause):
 *       \( F_k = 1 - \exp(-\hat\Lambda_0(t)\, e^{\eta}) \) with the baseline of the
 *       censoring-weighted risk sets ({@link FineGrayIncidence}); only its cause of interest;</li>
 *   <li><b>DeepHit</b> ({@link DeepHitLossFunction}, logits over causes and grid intervals; labels
 *       (grid index, cause)): the cumulative sums of its probability mass, each interval's mass
 *       counted from its grid time on ({@link Builder#gridTimes}).</li>
 * </ul>
 * For them {@link #survival} is the event-free survival \( 1 - \sum_k F_k \) (not for Fine-Gray,
 * which models one cause) and {@link #quantileTime} its quantiles; a single-event model's
 * cumulative incidence of its one cause is \( 1 - S \).
 *
 * <p>The <b>risk score</b> (higher = shorter survival) is \( \eta \) for Cox and Fine-Gray, minus the median for
 * Weibull and \( H \) at the last knot for the grid model. The <b>quantile time</b> at survival
 * level \( q \) is the smallest \( t \) with \( S(t \mid x) \le q \) (the median at \( q = 1/2 \));
 * it is {@code +Infinity}, "not reached", where the curve stays above \( q \) (a Cox curve past the
 * last training event time, a grid hazard of 0 after the last knot).
 *
 * <p>A model is immutable, and safe to use from many threads at once: each concurrent caller runs
 * its own copy of the network (made on first need, then reused).
 *
 * <pre>{@code
 * SurvivalModel model = SurvivalModel.builder(momentum)          // or a MultiLayerNetwork / ComputationGraph
 *         .trainingData(trainFeatures, trainLabels)              // labels [n, 2] (time, event) or [n, 3]
 *         .recipe(recipe)                                        // optional: predictions from raw rows
 *         .build();
 * model.save(Path.of("cox-model.zip"));
 *
 * SurvivalModel served = SurvivalModel.load(Path.of("cox-model.zip"));
 * double[][] s = served.survival(List.of(Map.of("age", 64, "grade", "2")), 365, 730);
 * double[] median = served.quantileTime(List.of(Map.of("age", 64, "grade", "2")), 0.5);
 * }</pre>
 *
 * @since 0.2
 */
public final class SurvivalModel {
    /** The form of the model, from the loss its network was trained with. */
    public enum Kind { COX, WEIBULL, GRID, CAUSE_SPECIFIC_COX, FINE_GRAY, DEEPHIT }

    private final Kind kind;
    private final Predictor predictor;
    private final int inputs;
    private final int outputs;
    private final Ties ties;
    private final GridHazardLikelihood grid;
    private final BreslowBaseline baseline;
    private final FeatureRecipe recipe;
    private final TrainingSummary summary;
    private final double[] timeGrid;
    private final CompetingRisksCurves competing; // null for a single-event model
    private final int[] strataLabels; // of the baselines, ascending
    // the Cox baseline per stratum (in the order of baseline.strata()): event times and log H0 there
    private final double[][] coxTimes;
    private final double[][] coxLogH0;

    SurvivalModel(Kind kind, Predictor predictor, int inputs, int outputs, Ties ties, double[] knots,
                  BreslowBaseline baseline, CompetingRisksCurves competing, FeatureRecipe recipe,
                  TrainingSummary summary, double[] timeGrid) {
        this.kind = kind;
        this.predictor = predictor;
        this.inputs = inputs;
        this.outputs = outputs;
        this.ties = ties;
        this.grid = knots == null ? null : new GridHazardLikelihood(knots, Reduction.SUM);
        this.baseline = baseline;
        this.recipe = recipe;
        this.summary = summary;
        this.timeGrid = timeGrid.clone();
        this.competing = competing;
        this.strataLabels = baseline != null ? baseline.strata() : competing != null ? competing.strata() : new int[0];
        int coxStrata = baseline == null ? 0 : strataLabels.length;
        this.coxTimes = new double[coxStrata][];
        this.coxLogH0 = new double[coxStrata][];
        for (int k = 0; k < coxStrata; k++) {
            int label = strataLabels[k];
            coxTimes[k] = baseline.eventTimes(label);
            coxLogH0[k] = Arrays.stream(baseline.cumulativeHazards(label)).map(Math::log).toArray();
        }
    }

    /** A builder for a model predicted by {@code network} (copied at {@link Builder#build()}). */
    public static Builder builder(MultiLayerNetwork network) {
        return new Builder(network);
    }

    /** A builder for a model predicted by {@code network}, a graph with one input and one output. */
    public static Builder builder(ComputationGraph network) {
        return new Builder(network);
    }

    /** A builder for a model predicted by the target network of momentum training. */
    public static Builder builder(Momentum momentum) {
        return new Builder(Objects.requireNonNull(momentum, "momentum").target());
    }

    /**
     * Reads a model written by {@link #save}.
     *
     * @throws IOException if the file cannot be read, or an entry is missing, damaged or does not
     *     fit the others: the message names the file and the entry
     */
    public static SurvivalModel load(Path file) throws IOException {
        return ModelFile.read(file);
    }

    /** Writes the model to one file (a zip; see {@code docs/user-guide.md}, "Deploying a model"); replaces the file whole. */
    public void save(Path file) throws IOException {
        ModelFile.write(this, file);
    }

    /** The form of the model. */
    public Kind kind() {
        return kind;
    }

    /** The number of network inputs (covariates). */
    public int inputs() {
        return inputs;
    }

    /**
     * The number of network outputs: 1 (Cox, Fine-Gray), 2 or 1 (Weibull, log scale and log shape;
     * 1 means shape 1), the knots (grid), the causes (cause-specific Cox) or causes times intervals (DeepHit).
     */
    public int outputs() {
        return outputs;
    }

    /** The ties method of a Cox, cause-specific Cox or Fine-Gray model, {@code null} otherwise. */
    public Ties ties() {
        return ties;
    }

    /** The knots of a grid-hazard model, {@code null} otherwise. */
    public double[] knots() {
        return grid == null ? null : grid.knots();
    }

    /** The baseline of a Cox model, {@code null} otherwise. */
    public BreslowBaseline baseline() {
        return baseline;
    }

    /** Whether rows need a stratum to be predicted (a stratified Cox, cause-specific Cox or Fine-Gray model). */
    public boolean stratified() {
        return baseline != null ? baseline.stratified() : competing != null && competing.stratified();
    }

    /** Whether the model is one of competing risks (cause-specific Cox, Fine-Gray, DeepHit). */
    public boolean competingRisks() {
        return competing != null;
    }

    /**
     * The causes whose cumulative incidence the model gives: 1..K, a Fine-Gray model's cause of
     * interest, or {@code [1]} for a single-event model (whose incidence is \( 1 - S \)).
     */
    public int[] causes() {
        return competing == null ? new int[] {1} : competing.causes();
    }

    /** The time of each grid interval of a DeepHit model, ascending; {@code null} otherwise. */
    public double[] gridTimes() {
        return competing == null ? null : competing.gridTimes();
    }

    /** The cause-specific baselines of a cause-specific Cox model, {@code null} otherwise. */
    public CauseSpecificIncidence causeSpecificIncidence() {
        return competing == null ? null : competing.causeSpecific();
    }

    /** The subdistribution baseline of a Fine-Gray model, {@code null} otherwise. */
    public FineGrayIncidence fineGrayIncidence() {
        return competing == null ? null : competing.fineGray();
    }

    /** The feature recipe, or {@code null} if the model takes encoded inputs only. */
    public FeatureRecipe recipe() {
        return recipe;
    }

    /** What the model was trained on. */
    public TrainingSummary summary() {
        return summary;
    }

    /** This model with another summary (e.g. with test metrics added); shares the network. */
    public SurvivalModel withSummary(TrainingSummary summary) {
        return new SurvivalModel(kind, predictor, inputs, outputs, ties, knots(), baseline, competing, recipe,
                Objects.requireNonNull(summary, "summary"), timeGrid);
    }

    /**
     * This model with a feature recipe (e.g. one whose standardization was fitted after training);
     * shares the network.
     *
     * @throws IllegalArgumentException if the recipe's covariates are not as many as the network's
     *     inputs, or it names a strata column for an unstratified model or none for a stratified one
     */
    public SurvivalModel withRecipe(FeatureRecipe recipe) {
        checkRecipe(Objects.requireNonNull(recipe, "recipe"), inputs, stratified());
        return new SurvivalModel(kind, predictor, inputs, outputs, ties, knots(), baseline, competing, recipe, summary,
                timeGrid);
    }

    private static void checkRecipe(FeatureRecipe recipe, int inputs, boolean stratified) {
        if (recipe.covariates().size() != inputs) {
            throw new IllegalArgumentException("the recipe gives " + recipe.covariates().size() + " covariates "
                    + recipe.covariates() + " but the model takes " + inputs + " inputs");
        }
        if ((recipe.strataColumn() != null) != stratified) {
            throw new IllegalArgumentException(stratified ? "the model is stratified: the recipe needs a strata column"
                    : "the recipe names a strata column but the model has no strata");
        }
    }

    /**
     * The model's own time grid: the distinct event times (of any cause) of the training rows,
     * ascending; for DeepHit the grid times of the training events' intervals.
     */
    public double[] timeGrid() {
        return timeGrid.clone();
    }

    /** The network (a copy made at build or load time). Do not train it or run it from several threads. */
    public Model network() {
        return predictor.network();
    }

    // ---------------------------------------------------------------- encoded inputs

    /**
     * The network's outputs in double: {@code [n][outputs()]}.
     *
     * @param x encoded (standardized) inputs {@code [n][inputs()]}, finite
     */
    public double[][] output(double[][] x) {
        checkInputs(x);
        if (x.length == 0) {
            return new double[0][outputs];
        }
        double[][] out = predictor.output(x);
        for (int i = 0; i < out.length; i++) {
            for (int k = 0; k < out[i].length; k++) {
                if (!Double.isFinite(out[i][k])) {
                    throw new IllegalArgumentException("row " + (i + 1) + ": the network's output " + k + " is "
                            + out[i][k] + " (inputs far outside the training data?)");
                }
            }
        }
        return out;
    }

    /**
     * The linear predictor: the log relative hazard \( \eta \) (Cox), the log subdistribution
     * hazard (Fine-Gray) or the log scale \( \log\lambda \) (Weibull).
     *
     * @throws IllegalStateException for a grid-hazard, cause-specific Cox or DeepHit model, which
     *     have one output per knot, cause or cell
     */
    public double[] linearPredictor(double[][] x) {
        if (kind == Kind.GRID || kind == Kind.CAUSE_SPECIFIC_COX || kind == Kind.DEEPHIT) {
            throw new IllegalStateException("a " + kind + " model has no single linear predictor (one output per "
                    + (kind == Kind.GRID ? "knot" : kind == Kind.DEEPHIT ? "cause and interval" : "cause")
                    + "): use output() or the curves");
        }
        return column(output(x), 0);
    }

    /**
     * Risk scores, higher = shorter survival (see the class comment); for Fine-Gray the log
     * subdistribution hazard, which orders the cumulative incidence of its cause at every time.
     *
     * @throws IllegalStateException for a cause-specific Cox or DeepHit model: their risk is per
     *     cause, e.g. the cumulative incidence at a horizon ({@link #cumulativeIncidence})
     */
    public double[] risk(double[][] x) {
        double[][] out = output(x);
        return switch (kind) {
            case COX, FINE_GRAY -> column(out, 0);
            case WEIBULL -> Arrays.stream(quantiles(out, null, 0.5)).map(m -> -m).toArray();
            case GRID -> column(gridCumulativeHazard(out, grid.knots()[grid.knots().length - 1]), 0);
            case CAUSE_SPECIFIC_COX, DEEPHIT -> throw new IllegalStateException("a " + kind + " model's risk is per"
                    + " cause: use cumulativeIncidence(x, cause, horizon)");
        };
    }

    /**
     * Cumulative hazards \( H(t_j \mid x_i) \), {@code [n][times.length]}; strata only for a stratified model.
     *
     * @throws IllegalStateException for a competing-risks model: use {@link #cumulativeIncidence}
     */
    public double[][] cumulativeHazard(double[][] x, int[] strata, double... times) {
        if (competing != null) {
            throw new IllegalStateException("a " + kind + " model gives cumulative incidences per cause"
                    + " (cumulativeIncidence) and the event-free survival (survival), not a cumulative hazard");
        }
        double[] t = checkTimes(times);
        double[][] out = output(x);
        checkStrata(strata, out.length);
        double[][] h = new double[out.length][t.length];
        switch (kind) {
            case COX -> {
                double[][] logH0 = new double[coxTimes.length][t.length]; // per stratum, at each time
                for (int k = 0; k < coxTimes.length; k++) {
                    for (int j = 0; j < t.length; j++) {
                        int at = Arrays.binarySearch(coxTimes[k], t[j]);
                        at = at >= 0 ? at : -at - 2; // the last event time <= t: right-continuous steps
                        logH0[k][j] = at < 0 ? Double.NEGATIVE_INFINITY : coxLogH0[k][at];
                    }
                }
                for (int i = 0; i < out.length; i++) {
                    double[] row = logH0[stratumIndex(strata, i)];
                    for (int j = 0; j < t.length; j++) {
                        h[i][j] = Math.exp(row[j] + out[i][0]);
                    }
                }
            }
            case WEIBULL -> {
                double[] logT = Arrays.stream(t).map(Math::log).toArray();
                for (int i = 0; i < out.length; i++) {
                    double rho = out[i].length > 1 ? Math.exp(out[i][1]) : 1;
                    for (int j = 0; j < t.length; j++) {
                        h[i][j] = t[j] == 0 ? 0 : Math.exp(rho * (logT[j] - out[i][0]));
                    }
                }
            }
            case GRID -> h = gridCumulativeHazard(out, t);
            default -> throw new IllegalStateException(kind + " is a competing-risks model");
        }
        return h;
    }

    /** As {@link #cumulativeHazard(double[][], int[], double...)} for an unstratified model. */
    public double[][] cumulativeHazard(double[][] x, double... times) {
        return cumulativeHazard(x, null, times);
    }

    /**
     * Survival probabilities \( S(t_j \mid x_i) = e^{-H} \), {@code [n][times.length]}; for a
     * cause-specific Cox or DeepHit model the event-free survival \( 1 - \sum_k F_k \).
     *
     * @throws IllegalStateException for a Fine-Gray model, which models one cause only
     */
    public double[][] survival(double[][] x, int[] strata, double... times) {
        if (competing != null) {
            requireEventFreeSurvival();
            double[] t = checkTimes(times);
            double[][] out = output(x);
            checkStrata(strata, out.length);
            return competing.eventFree(out, strata, t);
        }
        double[][] h = cumulativeHazard(x, strata, times);
        for (double[] row : h) {
            for (int j = 0; j < row.length; j++) {
                row[j] = Math.exp(-row[j]);
            }
        }
        return h;
    }

    /** As {@link #survival(double[][], int[], double...)} for an unstratified model. */
    public double[][] survival(double[][] x, double... times) {
        return survival(x, null, times);
    }

    /**
     * The cumulative incidence \( F_k(t_j \mid x_i) \) of cause {@code k}, {@code [n][times.length]}
     * (see the class comment); for a single-event model, {@code k = 1}: \( 1 - S \).
     *
     * @param cause one of {@link #causes()}
     * @throws IllegalArgumentException if the model gives no incidence of {@code cause}
     */
    public double[][] cumulativeIncidence(double[][] x, int[] strata, int cause, double... times) {
        if (competing == null) {
            if (cause != 1) {
                throw new IllegalArgumentException("cause " + cause + ": a " + kind + " model has one cause, 1");
            }
            double[][] f = survival(x, strata, times);
            for (double[] row : f) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = 1 - row[j];
                }
            }
            return f;
        }
        double[] t = checkTimes(times);
        double[][] out = output(x);
        checkStrata(strata, out.length);
        return competing.cumulativeIncidence(out, strata, cause, t);
    }

    /** As {@link #cumulativeIncidence(double[][], int[], int, double...)} for an unstratified model. */
    public double[][] cumulativeIncidence(double[][] x, int cause, double... times) {
        return cumulativeIncidence(x, null, cause, times);
    }

    /**
     * The time at which each row's survival falls to {@code level}: the smallest \( t \) with
     * \( S(t \mid x) \le \) {@code level}, or {@code +Infinity} if it is not reached (for
     * cause-specific Cox and DeepHit, of the event-free survival).
     *
     * @param level in (0, 1); 0.5 gives the median
     * @throws IllegalStateException for a Fine-Gray model, which models one cause only
     */
    public double[] quantileTime(double[][] x, int[] strata, double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("the survival level must be in (0, 1), got " + level);
        }
        if (competing != null) {
            requireEventFreeSurvival();
        }
        double[][] out = output(x);
        checkStrata(strata, out.length);
        return competing != null ? competing.eventFreeQuantile(out, strata, level, timeGrid)
                : quantiles(out, strata, level);
    }

    private void requireEventFreeSurvival() {
        if (!competing.eventFreeSurvival()) {
            throw new IllegalStateException("a Fine-Gray model gives the cumulative incidence of cause "
                    + competing.causes()[0] + " only (cumulativeIncidence), not the survival from every cause");
        }
    }

    /** As {@link #quantileTime(double[][], int[], double)} for an unstratified model. */
    public double[] quantileTime(double[][] x, double level) {
        return quantileTime(x, null, level);
    }

    // ---------------------------------------------------------------- raw rows

    /** The recipe's encoding of raw rows: the inputs of the methods that take {@code double[][]}. */
    public double[][] encode(List<? extends Map<String, ?>> rows) {
        return requireRecipe().encode(rows);
    }

    /** Risk scores of raw rows. */
    public double[] risk(List<? extends Map<String, ?>> rows) {
        return risk(encode(rows));
    }

    /** Survival probabilities of raw rows; a stratified model reads each row's stratum from the recipe's strata column. */
    public double[][] survival(List<? extends Map<String, ?>> rows, double... times) {
        return survival(encode(rows), recipe.strata(rows), times);
    }

    /** Cumulative hazards of raw rows. */
    public double[][] cumulativeHazard(List<? extends Map<String, ?>> rows, double... times) {
        return cumulativeHazard(encode(rows), recipe.strata(rows), times);
    }

    /** Quantile times of raw rows ({@code +Infinity} = not reached). */
    public double[] quantileTime(List<? extends Map<String, ?>> rows, double level) {
        return quantileTime(encode(rows), recipe.strata(rows), level);
    }

    /** The cumulative incidence of cause {@code k} for raw rows. */
    public double[][] cumulativeIncidence(List<? extends Map<String, ?>> rows, int cause, double... times) {
        return cumulativeIncidence(encode(rows), recipe.strata(rows), cause, times);
    }

    // ---------------------------------------------------------------- internals

    private double[] quantiles(double[][] out, int[] strata, double level) {
        double target = -Math.log(level); // S <= level  <=>  H >= target
        double[] q = new double[out.length];
        for (int i = 0; i < out.length; i++) {
            q[i] = switch (kind) {
                case COX -> coxQuantile(out[i][0], stratumIndex(strata, i), target);
                case WEIBULL -> Math.exp(out[i][0] + Math.log(target) / (out[i].length > 1 ? Math.exp(out[i][1]) : 1));
                case GRID -> gridQuantile(out[i], target);
                default -> throw new IllegalStateException(kind + " is a competing-risks model");
            };
        }
        return q;
    }

    /** The index of row i's stratum in the baseline (0 when unstratified). */
    private int stratumIndex(int[] strata, int i) {
        return strata == null ? 0 : Arrays.binarySearch(strataLabels, strata[i]);
    }

    /** The first baseline event time at which \( \hat H_0 e^{\eta} \ge \) target. */
    private double coxQuantile(double eta, int stratum, double target) {
        double[] times = coxTimes[stratum];
        double[] logH0 = coxLogH0[stratum];
        double logNeeded = Math.log(target) - eta;
        int lo = 0;
        int hi = times.length; // first index with log H0 >= logNeeded
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (logH0[mid] >= logNeeded) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo < times.length ? times[lo] : Double.POSITIVE_INFINITY;
    }

    /**
     * Solves \( H(t) = \) target on the grid's piecewise-linear hazard: on \( [\tau_j, \tau_{j+1}) \),
     * \( H(\tau_j + u\Delta) = H_j + \Delta (a u + (b - a) u^2 / 2) \) with \( a, b \) the hazards at
     * the two knots, a quadratic in \( u \) solved in its cancellation-free form.
     */
    private double gridQuantile(double[] logHz, double target) {
        double[] knots = grid.knots();
        double h = 0;
        for (int j = 0; j + 1 < knots.length; j++) {
            double a = Math.exp(logHz[j]);
            double b = Math.exp(logHz[j + 1]);
            double delta = knots[j + 1] - knots[j];
            double next = h + delta * (a + b) / 2;
            if (next >= target) {
                double r = (target - h) / delta; // a u + (b - a) u^2 / 2 = r
                double c = (b - a) / 2;
                double u = 2 * r / (a + Math.sqrt(Math.max(0, a * a + 4 * c * r)));
                return knots[j] + Math.min(1, u) * delta;
            }
            h = next;
        }
        double last = Math.exp(logHz[knots.length - 1]);
        return last > 0 ? knots[knots.length - 1] + (target - h) / last : Double.POSITIVE_INFINITY;
    }

    private double[][] gridCumulativeHazard(double[][] out, double... times) {
        return grid.cumulativeHazard(out, times);
    }

    private void checkInputs(double[][] x) {
        Objects.requireNonNull(x, "x");
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null || x[i].length != inputs) {
                throw new IllegalArgumentException("row " + (i + 1) + " has " + (x[i] == null ? "no" : x[i].length)
                        + " inputs; the model takes " + inputs);
            }
            for (int j = 0; j < inputs; j++) {
                if (!Double.isFinite(x[i][j])) {
                    throw new IllegalArgumentException("row " + (i + 1) + ", input " + (j + 1) + " is " + x[i][j]
                            + "; inputs must be finite");
                }
            }
        }
    }

    private void checkStrata(int[] strata, int n) {
        if (strata != null && !stratified()) {
            throw new IllegalArgumentException("this model is not stratified: give no strata");
        }
        if (stratified()) {
            if (strata == null || strata.length != n) {
                throw new IllegalArgumentException("this model is stratified: give a stratum for each of the " + n
                        + " rows" + (strata == null ? "" : ", got " + strata.length));
            }
            for (int i = 0; i < n; i++) {
                if (Arrays.binarySearch(strataLabels, strata[i]) < 0) {
                    throw new IllegalArgumentException("row " + (i + 1) + ": stratum " + strata[i]
                            + " is not one of the training strata " + Arrays.toString(strataLabels));
                }
            }
        }
    }

    private static double[] checkTimes(double[] times) {
        Objects.requireNonNull(times, "times");
        for (double t : times) {
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException("times must be finite and >= 0, got " + t);
            }
        }
        return times.clone();
    }

    private FeatureRecipe requireRecipe() {
        if (recipe == null) {
            throw new IllegalStateException("this model has no feature recipe: give encoded inputs (double[][])");
        }
        return recipe;
    }

    private static double[] column(double[][] a, int k) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i][k];
        }
        return c;
    }

    @Override
    public String toString() {
        return "SurvivalModel(" + kind + (ties != null ? ", ties " + ties : "")
                + (grid != null ? ", " + grid.knots().length + " knots" : "")
                + (competing != null ? ", causes " + Arrays.toString(causes()) : "") + ", " + inputs + " inputs"
                + (recipe != null ? ", covariates " + recipe.covariates() : "") + ", trained on " + summary.rows()
                + " rows with " + summary.events() + " events)";
    }

    /** Builds a {@link SurvivalModel} from a trained network and its training data. */
    public static final class Builder {
        private final Model network;
        private double[][] features;
        private INDArray labels;
        private int[] strata;
        private double[] gridTimes;
        private FeatureRecipe recipe;
        private TrainingSummary summary;

        private Builder(Model network) {
            this.network = Objects.requireNonNull(network, "network");
        }

        /**
         * The training rows (required): the encoded inputs the network was trained on and their
         * labels, {@code [n, 2]} = (time, event) or, for a Cox model of counting-process data,
         * {@code [n, 3]} = (start, stop, event); for competing risks (time, cause), cause 0 =
         * censored, and for DeepHit (grid index, cause), as the losses take them. A Cox model fits
         * its baseline hazard on them (cause-specific Cox and Fine-Gray: theirs); every model takes
         * its time grid from their event times.
         */
        public Builder trainingData(INDArray features, INDArray labels) {
            Objects.requireNonNull(features, "features");
            if (features.rank() != 2) {
                throw new IllegalArgumentException("features must be a matrix [rows, inputs], got shape "
                        + Arrays.toString(features.shape()));
            }
            this.features = NDArrays.rows(features);
            this.labels = Objects.requireNonNull(labels, "labels").castTo(DataType.DOUBLE).dup();
            return this;
        }

        /** As {@link #trainingData(INDArray, INDArray)} from Java arrays. */
        public Builder trainingData(double[][] features, double[][] labels) {
            return trainingData(Nd4j.createFromArray(features), Nd4j.createFromArray(labels));
        }

        /**
         * Each training row's stratum (a stratified Cox, cause-specific Cox or Fine-Gray model);
         * predictions then need a stratum per row.
         */
        public Builder strata(int[] strata) {
            this.strata = strata == null ? null : strata.clone();
            return this;
        }

        /**
         * The time of each grid interval of a DeepHit model (required for it): as many as the
         * loss's intervals, finite, {@code >= 0}, increasing; interval {@code g}'s probability mass
         * counts from {@code gridTimes[g]} on (the time a row's grid index stands for).
         */
        public Builder gridTimes(double... gridTimes) {
            this.gridTimes = gridTimes == null ? null : gridTimes.clone();
            return this;
        }

        /** How raw rows become inputs (optional). */
        public Builder recipe(FeatureRecipe recipe) {
            this.recipe = recipe;
            return this;
        }

        /** The training summary (optional; by default the training rows and events). */
        public Builder summary(TrainingSummary summary) {
            this.summary = summary;
            return this;
        }

        /**
         * Copies the network, runs it on the training rows and fits what the curves need.
         *
         * @throws IllegalArgumentException if the output layer's loss is not a survival loss, the
         *     training data does not fit the network or its labels, or the recipe's width differs
         *     from the network's inputs
         */
        public SurvivalModel build() {
            if (features == null) {
                throw new IllegalArgumentException("a survival model needs its training data: call trainingData(features,"
                        + " labels)");
            }
            Model copy = network instanceof MultiLayerNetwork mln ? mln.clone()
                    : network instanceof ComputationGraph cg ? cg.clone() : network;
            Predictor predictor = new Predictor(copy);
            ILossFunction loss = predictor.lossFunction();
            Kind kind = kindOf(loss);
            int n = features.length;
            int p = n == 0 ? 0 : features[0].length;
            if (n == 0) {
                throw new IllegalArgumentException("the training data has no rows");
            }
            if (labels.rank() != 2 || labels.rows() != n || labels.columns() < 2 || labels.columns() > 3) {
                throw new IllegalArgumentException("labels must be [" + n + ", 2] (time, event) or [" + n
                        + ", 3] (start, stop, event), got shape " + Arrays.toString(labels.shape()));
            }
            boolean counting = labels.columns() == 3;
            if (counting && kind != Kind.COX) {
                throw new IllegalArgumentException("counting-process labels [n, 3] need a Cox model; this network's"
                        + " loss is " + loss);
            }
            if (strata != null && kind != Kind.COX && kind != Kind.CAUSE_SPECIFIC_COX && kind != Kind.FINE_GRAY) {
                throw new IllegalArgumentException("strata need a Cox, cause-specific Cox or Fine-Gray model; this"
                        + " network's loss is " + loss);
            }
            if (gridTimes != null && kind != Kind.DEEPHIT) {
                throw new IllegalArgumentException("grid times are for a DeepHit model; this network's loss is " + loss);
            }
            if (recipe != null) {
                checkRecipe(recipe, p, strata != null);
            }
            INDArray time = labels.getColumn(counting ? 1 : 0).dup();
            INDArray event = labels.getColumn(counting ? 2 : 1).dup();
            double[] t = time.toDoubleVector();
            double[] e = event.toDoubleVector();
            int events = checkLabels(t, e, largestCode(loss));
            double[][] out = predictor.output(features);
            int outputs = out[0].length;
            Ties ties = null;
            double[] knots = null;
            BreslowBaseline baseline = null;
            CompetingRisksCurves competing = null;
            switch (kind) {
                case COX -> {
                    requireOutputs(outputs, 1, loss);
                    ties = ((CoxLossFunction) loss).ties();
                    INDArray eta = Nd4j.createFromArray(column(out, 0));
                    baseline = counting
                            ? BreslowBaseline.fit(eta, labels.getColumn(0).dup(), time, event, strata, ties)
                            : BreslowBaseline.fit(eta, time, event, strata, ties);
                }
                case WEIBULL -> {
                    if (outputs != 1 && outputs != 2) {
                        requireOutputs(outputs, 2, loss);
                    }
                }
                case GRID -> {
                    knots = ((GridHazardLossFunction) loss).knots();
                    requireOutputs(outputs, knots.length, loss);
                }
                case CAUSE_SPECIFIC_COX -> {
                    CauseSpecificCoxLossFunction csc = (CauseSpecificCoxLossFunction) loss;
                    requireOutputs(outputs, csc.causes(), loss);
                    ties = csc.ties();
                    competing = CompetingRisksCurves.causeSpecific(CauseSpecificIncidence.fit(Nd4j.createFromArray(out),
                            time, event, strata, ties));
                }
                case FINE_GRAY -> {
                    FineGrayLossFunction fg = (FineGrayLossFunction) loss;
                    requireOutputs(outputs, 1, loss);
                    ties = fg.ties();
                    competing = CompetingRisksCurves.fineGray(FineGrayIncidence.fit(Nd4j.createFromArray(column(out, 0)),
                            time, event, fg.cause(), strata, ties));
                }
                case DEEPHIT -> {
                    DeepHitLossFunction dh = (DeepHitLossFunction) loss;
                    requireOutputs(outputs, dh.causes() * dh.intervals(), loss);
                    if (gridTimes == null) {
                        throw new IllegalArgumentException("a DeepHit model needs the time of each of its " + dh.intervals()
                                + " grid intervals: call gridTimes(...)");
                    }
                    SurvivalArguments.gridIndex(t, "grid index", n, dh.intervals());
                    competing = CompetingRisksCurves.deepHit(dh, gridTimes);
                    for (int i = 0; i < n; i++) {
                        t[i] = gridTimes[(int) t[i]]; // the time grid below in time, not in grid indices
                    }
                }
            }
            TreeSet<Double> grid = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                if (e[i] != 0) {
                    grid.add(t[i]);
                }
            }
            TrainingSummary s = summary != null ? summary : new TrainingSummary(n, events, Map.of(), Map.of());
            return new SurvivalModel(kind, predictor, p, outputs, ties, knots, baseline, competing, recipe, s,
                    grid.stream().mapToDouble(Double::doubleValue).toArray());
        }

        /**
         * Checks each training row's time and event code (0/1, or a cause up to {@code largest});
         * returns the number of events.
         */
        private static int checkLabels(double[] t, double[] e, int largest) {
            int events = 0;
            for (int i = 0; i < t.length; i++) {
                boolean code = e[i] >= 0 && e[i] <= largest && e[i] == Math.rint(e[i]);
                if (!Double.isFinite(t[i]) || t[i] < 0 || !code) {
                    throw new IllegalArgumentException("training row " + (i + 1) + ": time " + t[i]
                            + (largest == 1 ? ", event " : ", cause ") + e[i] + " (time must be finite and >= 0, "
                            + (largest == 1 ? "event 0 or 1)" : largest == SurvivalArguments.ANY_CAUSE
                            ? "cause a whole number >= 0)" : "cause a whole number from 0 to " + largest + ")"));
                }
                events += e[i] != 0 ? 1 : 0;
            }
            if (events == 0) {
                throw new IllegalArgumentException("the training data has no events: a survival model needs at least one");
            }
            return events;
        }

        /** The largest event code the loss's labels hold: 1, the causes, or any for Fine-Gray. */
        private static int largestCode(ILossFunction loss) {
            return loss instanceof CauseSpecificCoxLossFunction c ? c.causes()
                    : loss instanceof DeepHitLossFunction d ? d.causes()
                    : loss instanceof FineGrayLossFunction ? SurvivalArguments.ANY_CAUSE : 1;
        }

        private static void requireOutputs(int outputs, int expected, ILossFunction loss) {
            if (outputs != expected) {
                throw new IllegalArgumentException("the network has " + outputs + " outputs; " + loss + " needs " + expected);
            }
        }
    }

    /** The kind of model a network's loss makes. */
    static Kind kindOf(ILossFunction loss) {
        if (loss instanceof CoxLossFunction) {
            return Kind.COX;
        }
        if (loss instanceof CauseSpecificCoxLossFunction) {
            return Kind.CAUSE_SPECIFIC_COX;
        }
        if (loss instanceof FineGrayLossFunction) {
            return Kind.FINE_GRAY;
        }
        if (loss instanceof DeepHitLossFunction) {
            return Kind.DEEPHIT;
        }
        if (loss instanceof WeibullLossFunction) {
            return Kind.WEIBULL;
        }
        if (loss instanceof GridHazardLossFunction) {
            return Kind.GRID;
        }
        throw new IllegalArgumentException("the network's output layer has " + (loss == null ? "no loss function" : loss)
                + ", not a survival loss (CoxLossFunction, WeibullLossFunction, GridHazardLossFunction,"
                + " CauseSpecificCoxLossFunction, FineGrayLossFunction or DeepHitLossFunction)");
    }
}
