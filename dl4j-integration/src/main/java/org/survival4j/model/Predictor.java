package org.survival4j.model;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A network's forward pass, safe to call from many threads at once. A DL4J network is not safe
 * for concurrent {@code output} calls (each keeps its layers' inputs and workspaces), so every
 * caller borrows a copy of its own: copies are made on demand, kept for reuse, and there are never
 * more than the number of threads that predicted at the same moment.
 */
final class Predictor {
    private final Model network;
    private final ConcurrentLinkedDeque<Model> idle = new ConcurrentLinkedDeque<>();

    /** @param network a {@code MultiLayerNetwork} or a single-input {@code ComputationGraph}; kept as it is (copy it first) */
    Predictor(Model network) {
        if (network instanceof ComputationGraph cg) {
            if (cg.getNumInputArrays() != 1 || cg.getNumOutputArrays() != 1) {
                throw new IllegalArgumentException("a survival model needs a network with one input and one output;"
                        + " this ComputationGraph has " + cg.getNumInputArrays() + " inputs and "
                        + cg.getNumOutputArrays() + " outputs");
            }
        } else if (!(network instanceof MultiLayerNetwork)) {
            throw new IllegalArgumentException("a survival model needs a MultiLayerNetwork or a ComputationGraph, got "
                    + (network == null ? "null" : network.getClass().getName()));
        }
        this.network = network;
        idle.push(network);
    }

    /** The network (do not run it from several threads). */
    Model network() {
        return network;
    }

    /** The loss function of the network's output layer, or {@code null} if it has none. */
    ILossFunction lossFunction() {
        org.deeplearning4j.nn.conf.layers.Layer conf = network instanceof MultiLayerNetwork mln
                ? mln.getOutputLayer().conf().getLayer()
                : ((ComputationGraph) network).getOutputLayer(0).conf().getLayer();
        if (conf instanceof BaseOutputLayer out) {
            return out.getLossFn();
        }
        return conf instanceof LossLayer loss ? loss.getLossFn() : null;
    }

    /** The network's outputs for rows {@code x} ({@code [n][inputs]}), in double, in inference mode. */
    double[][] output(double[][] x) {
        Model net = idle.poll();
        if (net == null) {
            net = network instanceof MultiLayerNetwork mln ? mln.clone() : ((ComputationGraph) network).clone();
        }
        try {
            DataType type = net.params().dataType();
            INDArray in = Nd4j.createFromArray(x).castTo(type);
            INDArray out = net instanceof MultiLayerNetwork mln ? mln.output(in, false)
                    : ((ComputationGraph) net).outputSingle(false, in);
            return rows(out.reshape(x.length, out.length() / Math.max(1, x.length)));
        } finally {
            idle.push(net);
        }
    }

    /**
     * The rows of a matrix in double, copied out in one piece: ND4J 1.0.0-M2.1's {@code toDoubleMatrix}
     * copies row by row through native calls, 0.1-0.4 ms a row (0.2-0.6 s for 1,546 rows, measured),
     * where one flat copy takes 0.3 ms for all of them.
     */
    static double[][] rows(INDArray matrix) {
        int n = (int) matrix.rows();
        int width = (int) matrix.columns();
        if (n == 0 || width == 0) {
            return new double[n][width];
        }
        double[] flat = matrix.castTo(DataType.DOUBLE).dup('c').reshape(-1).toDoubleVector();
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return rows;
    }
}
