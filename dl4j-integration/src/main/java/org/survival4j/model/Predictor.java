package org.survival4j.model;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.survival4j.data.NDArrays;

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
            INDArray in = NDArrays.create(flatten(x), net.params().dataType(), x.length, x.length == 0 ? 0 : x[0].length);
            INDArray out = net instanceof MultiLayerNetwork mln ? mln.output(in, false)
                    : ((ComputationGraph) net).outputSingle(false, in);
            // NDArrays.rows reads the buffer once; INDArray.toDoubleMatrix() runs an ND4J op per row
            // (about 10 s for 100,000 rows on a busy machine)
            return NDArrays.rows(out.reshape(x.length, out.length() / Math.max(1, x.length)));
        } finally {
            idle.push(net);
        }
    }

    /** The rows of {@code x} one after another (all of the same length, checked by the caller). */
    private static double[] flatten(double[][] x) {
        int p = x.length == 0 ? 0 : x[0].length;
        double[] flat = new double[x.length * p];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, flat, i * p, p);
        }
        return flat;
    }
}
