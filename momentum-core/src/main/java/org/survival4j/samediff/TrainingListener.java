package org.survival4j.samediff;

import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;

/** A SameDiff listener that takes part in training iterations only (not inference, not validation). */
abstract class TrainingListener extends BaseListener {
    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }
}
