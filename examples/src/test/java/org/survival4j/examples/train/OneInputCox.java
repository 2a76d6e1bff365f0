package org.survival4j.examples.train;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.dl4j.CoxLossFunction;
import org.survival4j.model.SurvivalModel;

/**
 * Test fixture: a Cox model (double precision) whose log hazard is its one input, with the baseline
 * hazard of its training rows.
 */
public final class OneInputCox {
    private OneInputCox() {
    }

    /**
     * @param x training inputs {@code [n][1]}
     * @param y training labels {@code [n][2]} = (time, event)
     */
    public static SurvivalModel of(double[][] x, double[][] y) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .list().layer(new OutputLayer.Builder(new CoxLossFunction()).nIn(1).nOut(1).hasBias(false)
                        .activation(Activation.IDENTITY).build()).build());
        net.init();
        net.setParams(Nd4j.ones(DataType.DOUBLE, 1, 1));
        return SurvivalModel.builder(net).trainingData(x, y).build();
    }
}
