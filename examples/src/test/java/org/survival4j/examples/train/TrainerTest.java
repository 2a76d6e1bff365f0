package org.survival4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.survival4j.dl4j.EarlyStopping;

/** The trainer's epoch loop: learning-rate schedules over epochs, and early stopping. */
class TrainerTest {
    private static SurvivalData train;
    private static SurvivalData validation;

    @BeforeAll
    static void data() {
        Trainer.useOneThread();
        SurvivalData rotterdam = BreastCancerCohorts.rotterdamNodePositive();
        SurvivalData z = Standardization.fit(rotterdam).apply(rotterdam);
        int[] order = SurvivalData.permutation(z.size(), new Random(5)); // the file is sorted by follow-up
        train = z.rows(Arrays.copyOfRange(order, 0, 240));
        validation = z.rows(Arrays.copyOfRange(order, 240, 400));
    }

    private static double[] weights(TrainedModel model) {
        return ((MultiLayerNetwork) model.survivalModel().network()).params().toDoubleVector();
    }

    /**
     * A learning rate that falls to 1 % after the first epoch must change what the next epochs
     * learn: the schedules are counted in epochs, and DL4J's {@code fit(DataSet)} does not count
     * them (the trainer advances the counter itself).
     */
    @Test
    void learningRateScheduleDecaysAfterEachEpoch() {
        TrainingSettings base = TrainingSettings.defaults().withMomentum(false).withHidden(List.of(8)).withEpochs(3)
                .withBatchSize(32);
        TrainedModel constant = Trainer.train(train, null, base, p -> { });
        TrainedModel decayed = Trainer.train(train, null, base.withSchedule(LearningRateSchedule.exponential(0.01)),
                p -> { });
        TrainedModel oneEpoch = Trainer.train(train, null, base.withEpochs(1), p -> { });

        assertEquals(3, ((MultiLayerNetwork) decayed.survivalModel().network()).getEpochCount());
        assertFalse(Arrays.equals(weights(constant), weights(decayed)), "the decay changed the later epochs");
        // epochs 2 and 3 at 1 % and 0.01 % of the rate move the weights far less than epochs 2 and 3 at the full rate
        double movedDecayed = distance(weights(decayed), weights(oneEpoch));
        double movedConstant = distance(weights(constant), weights(oneEpoch));
        assertTrue(movedDecayed < 0.05 * movedConstant, movedDecayed + " vs " + movedConstant);
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    /**
     * Early stopping keeps the network of its best epoch: the same predictions as a run of exactly
     * that many epochs (same seed, same batches), with and without momentum (whose target network
     * predicts and whose bank and updater state are part of what is put back).
     */
    @ParameterizedTest(name = "momentum {0}")
    @ValueSource(booleans = {false, true})
    void earlyStoppingKeepsItsBestEpoch(boolean momentum) {
        TrainingSettings s = TrainingSettings.defaults().withMomentum(momentum).withRate(0.9).withSteps(2)
                .withHidden(List.of(8)).withBatchSize(32).withLearningRate(0.01);
        StoppingRule rule = new StoppingRule(EarlyStopping.Criterion.C_INDEX, 3, 12);

        TrainedModel stopped = Trainer.train(train, validation, s, rule, p -> { });
        int best = stopped.stopping().bestEpoch();
        TrainedModel fixed = Trainer.train(train, null, s.withEpochs(best), p -> { });

        assertEquals(best, stopped.settings().epochs(), "the settings say how long the kept model trained");
        assertEquals(stopped.stopping().epochs(), stopped.history().size(), "one history entry per epoch trained");
        assertEquals(stopped.stopping().bestScore(), stopped.history().get(best - 1).validationConcordance(), 0);
        assertArrayEquals(fixed.survivalModel().risk(validation.x()), stopped.survivalModel().risk(validation.x()),
                0, "the kept model is the network after epoch " + best);
    }

    @Test
    void earlyStoppingOnTheLossLeavesTheConcordanceOutOfTheHistory() {
        TrainingSettings s = TrainingSettings.defaults().withMomentum(false).withHidden(List.of(8)).withBatchSize(64);
        TrainedModel m = Trainer.train(train, validation, s,
                new StoppingRule(EarlyStopping.Criterion.VALIDATION_LOSS, 2, 4), p -> { });

        assertTrue(m.stopping().bestEpoch() >= 1);
        assertTrue(m.history().stream().allMatch(p -> Double.isNaN(p.validationConcordance())));
        assertTrue(m.history().stream().allMatch(p -> Double.isFinite(p.loss())), "each epoch's training loss");
    }

    /** The linear Cox comparison is the same model whatever optimizer and schedule the network uses. */
    @Test
    void linearCoxIgnoresTheNetworksOptimizer() {
        TrainingSettings network = TrainingSettings.defaults().withOptimizer(TrainingSettings.OptimizerKind.NESTEROV)
                .withSchedule(LearningRateSchedule.exponential(0.5)).withWeightDecay(0).withL2(3)
                .withActivation(TrainingSettings.ActivationKind.TANH).withLearningRate(0.1);

        TrainedModel linear = Trainer.linearCox(train, network);
        TrainedModel reference = Trainer.linearCox(train, TrainingSettings.defaults());

        assertArrayEquals(weights(reference), weights(linear), 0);
    }

    @Test
    void earlyStoppingRefusesWorkersAndVirtualBatches() {
        StoppingRule rule = new StoppingRule(EarlyStopping.Criterion.C_INDEX, 2, 4);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Trainer.train(train, validation,
                TrainingSettings.defaults().withWorkers(2), rule, p -> { }));

        assertTrue(e.getMessage().contains("early stopping trains on one worker"), e.getMessage());
    }

    /**
     * Validation rows that early stopping refuses before the first step (Fine-Gray for cause 2 with
     * no cause-2 event among them) are an input error naming the validation set, not a diverged
     * training.
     */
    @Test
    void validationRowsRefusedBeforeTrainingAreAnInputErrorNotADivergence() {
        SurvivalData competing = CompetingCodes.everyThirdEventAsCause2(train);
        TrainingSettings fineGray = TrainingSettings.defaults().withMomentum(false).withHidden(List.of(8))
                .withBatchSize(32).withLoss(TrainingSettings.LossKind.FINE_GRAY).withCauses(2).withCause(2);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Trainer.train(competing,
                validation, fineGray, new StoppingRule(EarlyStopping.Criterion.VALIDATION_LOSS, 2, 3), p -> { }));
        assertFalse(e instanceof TrainingDivergedException, e.getMessage());
        assertTrue(e.getMessage().contains("validation"), e.getMessage());
    }
}
