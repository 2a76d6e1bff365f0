package org.survival4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.survival4j.loss.CauseSpecificCox;
import org.survival4j.loss.Reduction;
import org.survival4j.loss.Ties;
import org.survival4j.testing.ZipEntries;

/** {@link CauseSpecificCoxLossFunction}: the DL4J contract with two causes (Breslow ties, the non-default). */
class CauseSpecificCoxLossFunctionTest extends CompetingRisksLossFunctionTest {
    @Override
    ILossFunction loss() {
        return new CauseSpecificCoxLossFunction(2, Ties.BRESLOW);
    }

    @Override
    int outputs() {
        return 2;
    }

    @Override
    int wrongOutputs() {
        return 3;
    }

    @Override
    double expectedLoss(INDArray output, INDArray time, INDArray event) {
        return new CauseSpecificCox(Ties.BRESLOW, Reduction.MEAN).value(output, time, event);
    }

    @Override
    String[] badEvent() {
        return new String[] {"3.0", "cause[2] = 3.0: causes must be whole numbers from 0 (censored) to 2"};
    }

    /** A bank of causes does not restore under a loss of event indicators with as many outputs (Weibull's 2). */
    @Test
    void aBankOfCausesIsRefusedUnderALossOfEvents(@TempDir File dir) throws Exception {
        MultiLayerNetwork net = Dl4jFixtures.mlp(loss(), outputs(), new Sgd(0.01));
        Momentum momentum = Momentum.attach(net, MOMENTUM);
        net.fit(Dl4jFixtures.competingBatch(8, 2));
        File causes = new File(dir, "causes.zip");
        momentum.save(causes);
        MultiLayerNetwork weibull = Dl4jFixtures.mlp(new WeibullLossFunction(), 2, new Sgd(0.01));
        Momentum weibullMomentum = Momentum.attach(weibull, MOMENTUM);
        weibull.fit(Dl4jFixtures.survivalBatch(8, 2));
        File events = new File(dir, "events.zip");
        weibullMomentum.save(events);
        File swapped = new File(dir, "swapped.zip");
        ZipEntries.rewrite(events, swapped, "bank.bin", ZipEntries.read(causes).get("bank.bin"));
        IOException e = assertThrows(IOException.class, () -> Momentum.restore(swapped));
        assertTrue(e.getMessage().endsWith("bank.bin holds causes 0..2 but the loss takes events 0/1"), e.getMessage());
    }
}
