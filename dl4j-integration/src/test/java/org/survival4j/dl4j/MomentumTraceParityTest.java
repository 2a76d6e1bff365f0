package org.survival4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.survival4j.testing.MomentumTrace;
import org.survival4j.testing.TraceComparison;

/**
 * Momentum training reproduces runs recorded with torchsurv's {@code Momentum} (PyTorch 1.13,
 * float32): same network, initial weights, batches and plain SGD; per-iteration losses, final
 * online and target weights and the target's outputs must agree to float32 accuracy
 * ({@link TraceComparison}).
 */
class MomentumTraceParityTest {
    static Iterable<String> traces() {
        return MomentumTrace.NAMES;
    }

    @ParameterizedTest
    @MethodSource("traces")
    void multiLayerNetworkMatchesTorchsurvTrace(String name) {
        MomentumTrace trace = MomentumTrace.load(name);
        MultiLayerNetwork net = new MultiLayerNetwork(builder(trace).list()
                .layer(hidden(trace))
                .layer(output(trace))
                .build());
        net.init();
        setWeights(net.getLayer(0), net.getLayer(1), trace.init());
        Momentum momentum = Momentum.attach(net, trace.momentumConfig());
        trainAndCompare(trace, net, momentum);
        MultiLayerNetwork target = momentum.target();
        assertWeights(trace.onlineFinal(), net.getLayer(0), net.getLayer(1));
        assertWeights(trace.targetFinal(), target.getLayer(0), target.getLayer(1));
    }

    @ParameterizedTest
    @MethodSource("traces")
    void computationGraphMatchesTorchsurvTrace(String name) {
        MomentumTrace trace = MomentumTrace.load(name);
        ComputationGraph net = new ComputationGraph(builder(trace).graphBuilder()
                .addInputs("x")
                .addLayer("hidden", hidden(trace), "x")
                .addLayer("out", output(trace), "hidden")
                .setOutputs("out")
                .build());
        net.init();
        setWeights(net.getLayer("hidden"), net.getLayer("out"), trace.init());
        Momentum momentum = Momentum.attach(net, trace.momentumConfig());
        trainAndCompare(trace, net, momentum);
        ComputationGraph target = momentum.target();
        assertWeights(trace.onlineFinal(), net.getLayer("hidden"), net.getLayer("out"));
        assertWeights(trace.targetFinal(), target.getLayer("hidden"), target.getLayer("out"));
    }

    private static void trainAndCompare(MomentumTrace trace, Model net, Momentum momentum) {
        INDArray x = trace.x();
        INDArray labels = trace.labels();
        int batch = trace.config("batch");
        double[] expected = trace.losses();
        for (int i = 0; i < trace.config("iters"); i++) {
            DataSet ds = new DataSet(x.get(NDArrayIndex.interval(i * batch, (i + 1) * batch), NDArrayIndex.all()),
                    labels.get(NDArrayIndex.interval(i * batch, (i + 1) * batch), NDArrayIndex.all()));
            if (net instanceof MultiLayerNetwork m) {
                m.fit(ds);
            } else {
                ((ComputationGraph) net).fit(ds);
            }
            TraceComparison.assertLoss(expected[i], momentum.lastLoss(), "iteration " + i);
        }
        assertEquals(trace.bankSize(), momentum.bankSize());
        INDArray probe = momentum.infer(x.get(NDArrayIndex.interval(0, 4 * batch), NDArrayIndex.all()));
        TraceComparison.assertClose(trace.probeTargetOutput(), probe, "probe target output");
    }

    private static NeuralNetConfiguration.Builder builder(MomentumTrace trace) {
        return new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(trace.configReal("lr")));
    }

    private static DenseLayer hidden(MomentumTrace trace) {
        return new DenseLayer.Builder().nIn(trace.config("features")).nOut(trace.config("hidden"))
                .activation(Activation.TANH).build();
    }

    private static OutputLayer output(MomentumTrace trace) {
        boolean cox = trace.loss().equals("cox");
        ILossFunction loss = cox ? new CoxLossFunction() : new WeibullLossFunction();
        return new OutputLayer.Builder(loss).nIn(trace.config("hidden")).nOut(cox ? 1 : 2)
                .activation(Activation.IDENTITY).build();
    }

    private static void setWeights(org.deeplearning4j.nn.api.Layer hidden, org.deeplearning4j.nn.api.Layer out,
                                   Map<String, INDArray> w) {
        hidden.setParam("W", w.get("W0"));
        hidden.setParam("b", w.get("b0").reshape(1, -1));
        out.setParam("W", w.get("W1"));
        out.setParam("b", w.get("b1").reshape(1, -1));
    }

    private static void assertWeights(Map<String, INDArray> expected, org.deeplearning4j.nn.api.Layer hidden,
                                      org.deeplearning4j.nn.api.Layer out) {
        TraceComparison.assertClose(expected.get("W0"), hidden.getParam("W"), "W0");
        TraceComparison.assertClose(expected.get("b0"), hidden.getParam("b"), "b0");
        TraceComparison.assertClose(expected.get("W1"), out.getParam("W"), "W1");
        TraceComparison.assertClose(expected.get("b1"), out.getParam("b"), "b1");
    }
}
