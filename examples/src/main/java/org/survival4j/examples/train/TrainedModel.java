package org.survival4j.examples.train;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.survival4j.dl4j.Momentum;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.survival4j.dl4j.GridHazardLossFunction;
import org.survival4j.examples.train.TrainingSettings.LossKind;
import org.survival4j.loss.GridHazardLikelihood;
import org.survival4j.loss.Reduction;
import org.survival4j.metrics.BreslowBaseline;
import org.survival4j.metrics.WeibullSurvival;

/**
 * A trained survival network and what is needed to predict with it.
 *
 * <p>The <b>predictor</b> is the network that makes predictions: with momentum training the target
 * (EMA) network, otherwise the trained network itself. For a Cox model the Breslow baseline
 * hazard, fitted on the training data with the predictor's log hazards, turns log hazards into
 * survival curves; a Weibull model gives its curves directly.
 *
 * <p>The risk score (higher = shorter survival) is the log hazard for Cox, minus the median
 * survival time for Weibull, and the cumulative hazard at the last knot for the grid loss (its
 * hazards need not be proportional, so no single number orders the rows at every time).
 */
public final class TrainedModel {
    private final TrainingSettings settings;
    private final MultiLayerNetwork predictor;
    private final Momentum momentum;
    private final BreslowBaseline baseline;
    private final List<TrainingProgress> history;

    /**
     * @param settings how it was trained
     * @param predictor the network that predicts
     * @param momentum the momentum state (online and target networks, bank) or {@code null} for plain training
     * @param baseline Breslow baseline of a Cox model, {@code null} for Weibull
     * @param history one entry per epoch
     */
    public TrainedModel(TrainingSettings settings, MultiLayerNetwork predictor, Momentum momentum,
                        BreslowBaseline baseline, List<TrainingProgress> history) {
        if (settings.loss() == LossKind.COX && baseline == null) {
            throw new IllegalArgumentException("a Cox model needs its baseline hazard");
        }
        this.settings = settings;
        this.predictor = predictor;
        this.momentum = momentum;
        this.baseline = baseline;
        this.history = List.copyOf(history);
    }

    public TrainingSettings settings() {
        return settings;
    }

    /** The network that predicts (the target network after momentum training). */
    public MultiLayerNetwork predictor() {
        return predictor;
    }

    /** The momentum state, or {@code null} after plain training (or for a reloaded model). */
    public Momentum momentum() {
        return momentum;
    }

    /** The Breslow baseline of a Cox model, {@code null} for Weibull. */
    public BreslowBaseline baseline() {
        return baseline;
    }

    /** Per-epoch loss and validation C (empty for a reloaded model). */
    public List<TrainingProgress> history() {
        return history;
    }

    /** The predictor's raw output in double: {@code [n, 1]} log hazards or {@code [n, 2]} Weibull parameters. */
    public INDArray output(SurvivalData data) {
        return predictor.output(data.features()).castTo(DataType.DOUBLE);
    }

    /** Risk scores, higher = shorter survival. */
    public double[] risk(SurvivalData data) {
        return risk(predictor, output(data), settings.loss());
    }

    /**
     * Risk scores from the outputs of {@code net}: the log hazard (Cox), minus the median time
     * (Weibull), or the cumulative hazard at the last knot (grid).
     */
    static double[] risk(MultiLayerNetwork net, INDArray output, LossKind loss) {
        if (loss == LossKind.COX) {
            return output.reshape(output.rows()).toDoubleVector();
        }
        if (loss == LossKind.GRID) {
            GridHazardLikelihood grid = gridLikelihood(net);
            double[] knots = grid.knots();
            return grid.cumulativeHazard(output, knots[knots.length - 1]).reshape(output.rows()).toDoubleVector();
        }
        return WeibullSurvival.medianTime(output).neg().toDoubleVector();
    }

    /** The likelihood of the grid loss in the network's output layer (its knots). */
    static GridHazardLikelihood gridLikelihood(MultiLayerNetwork net) {
        Object loss = ((BaseOutputLayer) net.getOutputLayer().conf().getLayer()).getLossFn();
        if (!(loss instanceof GridHazardLossFunction grid)) {
            throw new IllegalStateException("the network's output layer has " + loss + ", not the grid loss");
        }
        return new GridHazardLikelihood(grid.knots(), Reduction.SUM);
    }

    /** Predicted survival probabilities \( S_i(t_k) \), double {@code [n, times.length]}. */
    public INDArray survival(SurvivalData data, double... times) {
        INDArray out = output(data);
        if (settings.loss() == LossKind.COX) {
            return baseline.survival(out, times);
        }
        if (settings.loss() == LossKind.GRID) {
            return gridLikelihood(predictor).survival(out, times);
        }
        return WeibullSurvival.survival(out, times);
    }
}
