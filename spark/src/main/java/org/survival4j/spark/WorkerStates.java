package org.survival4j.spark;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.util.AccumulatorV2;
import org.survival4j.dl4j.MomentumState;

/**
 * Brings the momentum state each Spark worker ended a round with back to the driver: per partition
 * the state of its last step (Spark merges a task's accumulator once, when the task succeeds).
 */
final class WorkerStates extends AccumulatorV2<WorkerStates.Update, Map<Integer, MomentumState>> {
    private static final long serialVersionUID = 1L;

    /** The state of the worker training {@code partition} after a step. */
    record Update(int partition, MomentumState state) implements Serializable {
    }

    private final TreeMap<Integer, MomentumState> states = new TreeMap<>();

    @Override
    public boolean isZero() {
        return states.isEmpty();
    }

    @Override
    public WorkerStates copy() {
        WorkerStates copy = new WorkerStates();
        copy.states.putAll(states);
        return copy;
    }

    @Override
    public void reset() {
        states.clear();
    }

    @Override
    public void add(Update update) {
        states.merge(update.partition(), update.state(), (a, b) -> b.iterations() >= a.iterations() ? b : a);
    }

    @Override
    public void merge(AccumulatorV2<Update, Map<Integer, MomentumState>> other) {
        other.value().forEach((partition, state) -> add(new Update(partition, state)));
    }

    /** The states by partition, in partition order. */
    @Override
    public Map<Integer, MomentumState> value() {
        return new TreeMap<>(states);
    }
}
