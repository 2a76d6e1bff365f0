package org.survival4j.dl4j;

import java.util.function.BiFunction;
import java.util.function.Function;
import org.deeplearning4j.earlystopping.scorecalc.ScoreCalculator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.adapter.MultiDataSetIteratorAdapter;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.survival4j.data.SurvivalArguments;

/**
 * A DL4J early-stopping score: the concordance index of a survival network on a validation set,
 * to be <em>maximized</em> ({@link #minimizeScore()} is false), so that DL4J's
 * {@code EarlyStoppingTrainer} keeps the model with the best C-index.
 *
 * <p>The outputs come from the model being trained ({@code MultiLayerNetwork} or
 * {@code ComputationGraph} with one output and one or more inputs, in inference mode, features
 * masks honoured) or, when a predictor function is
 * given, from that function; {@link #ofTarget} scores the target network of a momentum set-up, the
 * network used at inference, with the batches' features masks. Outputs are read as by
 * {@link ConcordanceEvaluation} (one column: log hazard, two: Weibull), labels {@code [n, 2]},
 * labels masks honoured.
 *
 * <pre>{@code
 * EarlyStoppingConfiguration<MultiLayerNetwork> conf = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
 *         .scoreCalculator(new ConcordanceScoreCalculator(validationIterator))
 *         .epochTerminationConditions(new MaxEpochsTerminationCondition(50))
 *         .build();
 * EarlyStoppingResult<MultiLayerNetwork> best = new EarlyStoppingTrainer(conf, net, trainIterator).fit();
 * }</pre>
 *
 * <p><b>DL4J 1.0.0-M2.1 quirk.</b> When an epoch termination condition stops training,
 * {@code EarlyStoppingResult.getBestModelScore()} reports the best model's last training loss
 * ({@code model.score()}), not this calculator's value. The best model and epoch are right; read its
 * C-index as {@code result.getScoreVsEpoch().get(result.getBestModelEpoch())}.
 *
 * <p>The validation iterator is reset before each use; not thread-safe.
 *
 * @since 0.1
 */
public final class ConcordanceScoreCalculator implements ScoreCalculator<Model> {
    private static final long serialVersionUID = 1L;

    private final transient MultiDataSetIterator iterator;
    private final ConcordanceEvaluation.Metric metric;
    private final transient BiFunction<INDArray[], INDArray[], INDArray> predictor; // (inputs, masks) -> output

    /** Harrell's C of the trained model's outputs. */
    public ConcordanceScoreCalculator(DataSetIterator iterator) {
        this(iterator, ConcordanceEvaluation.Metric.HARRELL, null);
    }

    /**
     * @param iterator the validation set, labels {@code [n, 2]}
     * @param metric Harrell's or Uno's C
     * @param predictor features to outputs, or {@code null} to use the model passed to {@link #calculateScore};
     *                  it does not see features masks (for the momentum target, use {@link #ofTarget})
     */
    public ConcordanceScoreCalculator(DataSetIterator iterator, ConcordanceEvaluation.Metric metric,
                                      Function<INDArray, INDArray> predictor) {
        this(new MultiDataSetIteratorAdapter(SurvivalArguments.checkNotNull(iterator, "iterator")), metric,
                predictor == null ? null : inputs -> predictor.apply(inputs[0]));
    }

    /**
     * For a {@code ComputationGraph} with several inputs: the validation set as {@code MultiDataSet}s
     * (one labels array {@code [n, 2]}).
     *
     * @param predictor the inputs (in the graph's order) to outputs, or {@code null} to use the model
     *                  passed to {@link #calculateScore}; it does not see features masks (for the momentum
     *                  target, use {@link #ofTarget})
     */
    public ConcordanceScoreCalculator(MultiDataSetIterator iterator, ConcordanceEvaluation.Metric metric,
                                      Function<INDArray[], INDArray> predictor) {
        this(predictor == null ? null : (inputs, masks) -> predictor.apply(inputs), iterator, metric);
    }

    private ConcordanceScoreCalculator(BiFunction<INDArray[], INDArray[], INDArray> predictor,
                                       MultiDataSetIterator iterator, ConcordanceEvaluation.Metric metric) {
        this.iterator = SurvivalArguments.checkNotNull(iterator, "iterator");
        this.metric = SurvivalArguments.checkNotNull(metric, "metric");
        this.predictor = predictor;
    }

    /**
     * The C-index of momentum training's target network ({@link Momentum#infer(INDArray[], INDArray[])},
     * features masks honoured), whatever model {@link #calculateScore} is given.
     *
     * <pre>{@code
     * new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
     *         .scoreCalculator(ConcordanceScoreCalculator.ofTarget(validationIterator, Metric.HARRELL, momentum))
     * }</pre>
     */
    public static ConcordanceScoreCalculator ofTarget(DataSetIterator iterator, ConcordanceEvaluation.Metric metric,
                                                      Momentum momentum) {
        return ofTarget(new MultiDataSetIteratorAdapter(SurvivalArguments.checkNotNull(iterator, "iterator")), metric,
                momentum);
    }

    /** As {@link #ofTarget(DataSetIterator, ConcordanceEvaluation.Metric, Momentum)} for {@code MultiDataSet}s. */
    public static ConcordanceScoreCalculator ofTarget(MultiDataSetIterator iterator,
                                                      ConcordanceEvaluation.Metric metric, Momentum momentum) {
        SurvivalArguments.checkNotNull(momentum, "momentum");
        return new ConcordanceScoreCalculator(momentum::infer, iterator, metric);
    }

    @Override
    public double calculateScore(Model model) {
        ConcordanceEvaluation evaluation = new ConcordanceEvaluation();
        if (iterator.resetSupported()) {
            iterator.reset();
        }
        while (iterator.hasNext()) {
            MultiDataSet batch = iterator.next();
            INDArray output = predictor != null ? predictor.apply(batch.getFeatures(), batch.getFeaturesMaskArrays())
                    : output(model, batch);
            evaluation.eval(batch.getLabels(0), output, batch.getLabelsMaskArray(0), null);
        }
        return evaluation.getValue(metric);
    }

    /** The model's inference output with the batch's masks (sequences of different lengths). */
    private static INDArray output(Model model, MultiDataSet batch) {
        if (model instanceof MultiLayerNetwork net) {
            return net.output(batch.getFeatures(0), false, batch.getFeaturesMaskArray(0), batch.getLabelsMaskArray(0));
        }
        if (model instanceof ComputationGraph graph) {
            return graph.output(false, batch.getFeatures(), batch.getFeaturesMaskArrays())[0];
        }
        throw new IllegalArgumentException("cannot compute outputs of a " + (model == null ? "null model"
                : model.getClass().getName()) + ": pass a predictor function");
    }

    /** Always false: a higher C-index is better. */
    @Override
    public boolean minimizeScore() {
        return false;
    }

    @Override
    public String toString() {
        return "ConcordanceScoreCalculator(" + metric + (predictor != null ? ", custom predictor" : "") + ")";
    }
}
