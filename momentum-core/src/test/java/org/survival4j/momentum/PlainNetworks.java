package org.survival4j.momentum;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.survival4j.data.NDArrays;

/**
 * The traces' network, {@code Dense(tanh) -> Dense(identity)}, as plain float32 ND4J arrays with a
 * hand-written backward pass and SGD: an online/target {@link NetworkPair} for the engine's tests,
 * free of any training framework.
 */
final class PlainNetworks implements NetworkPair {
    private static final String[] NAMES = {"W0", "b0", "W1", "b1"};

    final List<INDArray> online = new ArrayList<>();
    final List<INDArray> target = new ArrayList<>();
    /** The features of the batch the next {@link #targetOutput()} runs on. */
    INDArray batch;

    PlainNetworks(Map<String, INDArray> init) {
        for (String name : NAMES) {
            online.add(init.get(name).castTo(DataType.FLOAT).dup());
            target.add(init.get(name).castTo(DataType.FLOAT).dup());
        }
    }

    static INDArray forward(List<INDArray> p, INDArray x) {
        INDArray hidden = Transforms.tanh(x.castTo(DataType.FLOAT).mmul(p.get(0)).addRowVector(p.get(1)));
        return hidden.mmul(p.get(2)).addRowVector(p.get(3));
    }

    /** One SGD step of the online network for d loss / d output {@code gradient} on the batch {@code x}. */
    void sgdStep(INDArray x, INDArray gradient, double learningRate) {
        INDArray in = x.castTo(DataType.FLOAT);
        INDArray g = gradient.castTo(DataType.FLOAT);
        INDArray hidden = Transforms.tanh(in.mmul(online.get(0)).addRowVector(online.get(1)));
        INDArray dHidden = g.mmul(online.get(2).transpose()).muli(hidden.mul(hidden).rsubi(1));
        INDArray[] grads = {in.transpose().mmul(dHidden), dHidden.sum(0), hidden.transpose().mmul(g), g.sum(0)};
        for (int i = 0; i < grads.length; i++) {
            online.get(i).subi(grads[i].reshape(online.get(i).shape()).muli(learningRate));
        }
    }

    @Override
    public List<INDArray> onlineParameters() {
        return online;
    }

    @Override
    public List<INDArray> targetParameters() {
        return target;
    }

    @Override
    public String parameterName(int i) {
        return NAMES[i];
    }

    @Override
    public double[][] targetOutput() {
        return NDArrays.rows(forward(target, batch));
    }
}
