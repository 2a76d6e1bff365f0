package org.survival4j.spark;

import org.apache.spark.TaskContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.survival4j.dl4j.Momentum;
import org.survival4j.dl4j.MomentumState;

/**
 * Runs momentum on a Spark worker's copy of the network: before its first minibatch of the round
 * the copy gets momentum started from the driver's state; after each minibatch the state it reached
 * goes to {@link WorkerStates}. Spark ships a fresh copy of this hook with every task.
 */
final class MomentumTrainingHook implements TrainingHook {
    private static final long serialVersionUID = 1L;

    private final MomentumState start;
    private final WorkerStates states;
    private transient Momentum momentum;

    MomentumTrainingHook(MomentumState start, WorkerStates states) {
        this.start = start;
        this.states = states;
    }

    private Momentum momentumOf(Model model) {
        if (momentum == null || momentum.network() != model) {
            momentum = start.attachTo(model);
        }
        return momentum;
    }

    private void stepDone(Model model) {
        states.add(new WorkerStates.Update(TaskContext.getPartitionId(), MomentumState.of(momentumOf(model))));
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        momentumOf(model);
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
        stepDone(model);
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        momentumOf(model);
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
        stepDone(model);
    }
}
