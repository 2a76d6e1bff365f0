package org.survival4j.dl4j;

import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.loss.DeepHit;
import org.survival4j.loss.GridHazardLikelihood;
import org.survival4j.loss.Reduction;
import org.survival4j.metrics.ConcordanceIndex;
import org.survival4j.metrics.WeibullSurvival;

/**
 * The score {@link EarlyStopping} compares between epochs: one criterion of a network's outputs on
 * the validation rows, for the survival loss of its output layer. The criteria are defined in
 * {@link EarlyStopping}'s class comment; the validation labels are checked against the loss when
 * this is made, before any training.
 */
final class ValidationScore {
    private final INDArray features;
    private final SurvivalLossFunction loss;
    private final EarlyStopping.Criterion criterion;
    private final double[] start;
    private final double[] time;
    private final double[] event;
    private final INDArray timeVector;
    private final INDArray eventVector;
    /** The causes with at least one validation event: those the competing-risks C-index averages over. */
    private final int[] scoredCauses;

    private ValidationScore(INDArray features, INDArray labels, SurvivalLossFunction loss,
                            EarlyStopping.Criterion criterion) {
        this.features = features;
        this.loss = loss;
        this.criterion = criterion;
        boolean counting = labels.columns() == 3;
        this.start = counting ? labels.getColumn(0).toDoubleVector() : null;
        this.time = labels.getColumn(counting ? 1 : 0).toDoubleVector();
        this.event = labels.getColumn(counting ? 2 : 1).toDoubleVector();
        this.timeVector = Nd4j.createFromArray(time);
        this.eventVector = Nd4j.createFromArray(event);
        int causes = loss instanceof CauseSpecificCoxLossFunction csc ? csc.causes()
                : loss instanceof DeepHitLossFunction deepHit ? deepHit.causes() : 1;
        this.scoredCauses = IntStream.rangeClosed(1, causes).filter(this::hasEvent).toArray();
    }

    /**
     * The score of the validation set ({@code labels} in double) for {@code net}'s loss.
     *
     * @throws IllegalArgumentException if the output layer has no survival loss of this package, if
     *         the labels do not fit the loss (their width, times, event codes or causes, DeepHit's
     *         grid indices), if a Fine-Gray loss's cause of interest has no validation event, or if
     *         the criterion is undefined on these rows (no comparable pair)
     */
    static ValidationScore of(Model net, INDArray features, INDArray labels, EarlyStopping.Criterion criterion) {
        SurvivalLossFunction loss = NetworkHandle.survivalLossOf(net);
        if (loss == null) {
            throw new IllegalArgumentException("early stopping scores networks whose output layer has a survival4j loss"
                    + " (Cox, Weibull, grid hazards, cause-specific Cox, Fine-Gray, DeepHit); this one has none");
        }
        ValidationScore score = new ValidationScore(features, labels, loss, criterion);
        if (loss instanceof FineGrayLossFunction fineGray && !score.hasEvent(fineGray.cause())) {
            throw new IllegalArgumentException("the validation set has no event of cause " + fineGray.cause()
                    + ", the Fine-Gray loss's cause of interest: neither its likelihood nor its concordance can tell"
                    + " epochs apart");
        }
        INDArray constant = Nd4j.zeros(DataType.DOUBLE, labels.rows(), loss.maxColumns());
        try {
            // the loss's own checks of a batch (the training path's), then the criterion on constant outputs
            loss.freshCopy().computeScore(labels, constant, new ActivationIdentity(), null, false);
            score.of(constant);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the validation set does not fit " + loss + ": " + e.getMessage(), e);
        }
        return score;
    }

    /** The criterion for {@code scored}'s outputs on the validation rows (inference mode); NaN if one is not finite. */
    double of(Model scored) {
        INDArray out = scored instanceof MultiLayerNetwork mln ? mln.output(features, false)
                : ((ComputationGraph) scored).outputSingle(false, features);
        return of(out.castTo(DataType.DOUBLE));
    }

    private double of(INDArray out) {
        double[][] output = out.toDoubleMatrix();
        for (double[] row : output) {
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    return Double.NaN;
                }
            }
        }
        if (criterion == EarlyStopping.Criterion.VALIDATION_LOSS) {
            return loss.likelihood(output, start, time, event, 0).value();
        }
        if (loss instanceof CauseSpecificCoxLossFunction) {
            return meanOverCauses(k -> out.getColumn(k - 1).dup());
        }
        if (loss instanceof DeepHitLossFunction d) {
            DeepHit deepHit = new DeepHit(d.causes(), d.alpha(), d.sigma(), Reduction.MEAN);
            return meanOverCauses(k -> deepHit.cumulativeIncidence(out, k).getColumn(d.intervals() - 1).dup());
        }
        if (loss instanceof FineGrayLossFunction fineGray) {
            return ConcordanceIndex.causeSpecific(out.getColumn(0).dup(), timeVector, eventVector, fineGray.cause());
        }
        INDArray risk;
        if (loss instanceof GridHazardLossFunction grid) {
            double[] knots = grid.knots();
            risk = new GridHazardLikelihood(knots, Reduction.SUM).cumulativeHazard(out, knots[knots.length - 1])
                    .reshape(out.rows());
        } else if (loss instanceof WeibullLossFunction) {
            risk = WeibullSurvival.medianTime(out).neg();
        } else {
            risk = out.getColumn(0).dup();
        }
        return ConcordanceIndex.harrell(risk, timeVector, eventVector);
    }

    /** The mean over the causes with validation events of the cause-specific concordance of each cause's risk. */
    private double meanOverCauses(IntFunction<INDArray> risk) {
        double sum = 0;
        for (int k : scoredCauses) {
            sum += ConcordanceIndex.causeSpecific(risk.apply(k), timeVector, eventVector, k);
        }
        return sum / scoredCauses.length;
    }

    private boolean hasEvent(int cause) {
        for (double e : event) {
            if (e == cause) {
                return true;
            }
        }
        return false;
    }
}
