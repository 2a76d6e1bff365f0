package org.survival4j.benchmarks;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.survival4j.loss.CoxPartialLikelihood;

/**
 * The second way of getting the kernel's gradient G into {@code sd.fit} that issue 33 named,
 * measured against {@link org.survival4j.samediff.KernelGradientLoss} and not adopted (slower by one
 * forward pass): in {@code iterationStart}, a forward pass of the output in a session of the
 * listener's own, the Cox kernel (Efron, MEAN) on it, and G fed through a placeholder that the
 * training configuration maps to the data set's label mask ({@code fit} builds its placeholders from
 * the data set after {@code iterationStart}, and checks only the feature and label counts). Sound:
 * the extra pass runs on the weights {@code fit}'s pass uses, so it sees the same outputs. For
 * {@link SameDiffMomentumBenchmark#mlp} graphs, float32; a benchmark prototype, not library code
 * (its session keeps the id of every array it released, fine for a benchmark's few thousand steps).
 */
final class ForwardPassInjection {
    private ForwardPassInjection() {
    }

    /** Adds {@code dot(logHz, G)} with G a placeholder, the training configuration (Adam) and the listener. */
    static void attach(SameDiff sd) {
        SDVariable g = sd.placeHolder("G", DataType.FLOAT, -1, 1);
        sd.dot("loss", sd.getVariable("logHz"), g).markAsLoss();
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3)).dataSetFeatureMapping("in")
                .dataSetLabelMapping("label").dataSetLabelMaskMapping("G").build());
        InferenceSession session = new InferenceSession(sd);
        sd.addListeners(new BaseListener() {
            @Override
            public boolean isActive(Operation operation) {
                return operation == Operation.TRAINING;
            }

            @Override
            public void iterationStart(SameDiff graph, At at, MultiDataSet data, long etlMs) {
                INDArray logHz = session.output(List.of("logHz"), Map.of("in", data.getFeatures(0)), null, List.of(),
                        List.of(), At.defaultAt(Operation.INFERENCE)).get("logHz");
                double[][] labels = data.getLabels(0).castTo(DataType.DOUBLE).toDoubleMatrix();
                double[] time = new double[labels.length];
                double[] event = new double[labels.length];
                for (int i = 0; i < labels.length; i++) {
                    time[i] = labels[i][0];
                    event[i] = labels[i][1];
                }
                double[] gradient = CoxPartialLikelihood.efron().valueAndGradient(
                        logHz.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector(), time, event, null, 0)
                        .gradientValues();
                INDArray g = Nd4j.createFromArray(gradient).castTo(DataType.FLOAT).reshape(gradient.length, 1);
                data.setLabelsMaskArray(new INDArray[] {g});
            }
        });
    }
}
