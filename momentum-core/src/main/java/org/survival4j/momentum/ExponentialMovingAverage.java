package org.survival4j.momentum;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.data.NDArrays;
import org.survival4j.data.SurvivalArguments;

/**
 * The target network's update, undoable: an exponential moving average of the online parameters,
 * \( \theta_k \leftarrow m\,\theta_k + (1 - m)\,\theta_q \) (He et al. 2020, eq. 2), in place.
 *
 * <p>Each update first copies the target arrays, so that {@link #undo} restores them bit for bit (a
 * step whose target output is not finite must not stay in the target). Copies of whole float or
 * double buffers are Java arrays filled through the buffer's NIO view and reused from step to
 * step. Large arrays (a DL4J network's flattened parameters) are averaged with two native ops,
 * {@code scal} then {@code axpy}; arrays of at most {@value #JAVA_LIMIT} values (the variables of a
 * small SameDiff graph, one update each) from Java, since there a native op costs more than the
 * arithmetic (about 10 µs, and the occasional millisecond stall, docs/dl4j-notes.md). Nothing is
 * allocated per step once the copies exist.
 *
 * <p>Not thread-safe: one instance belongs to one {@link MomentumEngine}.
 */
final class ExponentialMovingAverage {
    static final int JAVA_LIMIT = 1 << 14;
    private final double rate;
    private final List<Object> before = new ArrayList<>(); // per array: float[], double[] or a detached copy

    /** @param rate the momentum {@code m} in {@code [0, 1]}; 0.999 is MoCo's and torchsurv's default */
    ExponentialMovingAverage(double rate) {
        this.rate = SurvivalArguments.inRange(rate, "rate", 0, 1, true);
    }

    /**
     * Moves each target array towards its online counterpart, in place; all pairs are checked first.
     *
     * @throws IllegalArgumentException if a pair differs in length or data type (nothing is changed)
     */
    void update(List<INDArray> target, List<INDArray> online) {
        for (int i = 0; i < target.size(); i++) {
            INDArray t = target.get(i);
            INDArray q = online.get(i);
            if (t.length() != q.length() || t.dataType() != q.dataType()) {
                throw new IllegalArgumentException("target array " + i + " has " + t.length() + " " + t.dataType()
                        + " values but online has " + q.length() + " " + q.dataType());
            }
        }
        while (before.size() < target.size()) {
            before.add(null);
        }
        for (int i = 0; i < target.size(); i++) {
            before.set(i, copy(target.get(i), before.get(i)));
            average(target.get(i), online.get(i));
        }
    }

    /** Restores the target arrays of the last {@link #update}, bit for bit. */
    void undo(List<INDArray> target) {
        for (int i = 0; i < target.size(); i++) {
            Object copy = before.get(i);
            if (copy instanceof float[] f) {
                target.get(i).data().asNioFloat().put(0, f);
            } else if (copy instanceof double[] d) {
                target.get(i).data().asNioDouble().put(0, d);
            } else {
                target.get(i).assign((INDArray) copy);
            }
        }
    }

    private static Object copy(INDArray a, Object reuse) {
        int n = (int) a.length();
        if (NDArrays.isWholeBuffer(a) && a.dataType() == DataType.FLOAT) {
            float[] copy = reuse instanceof float[] r && r.length == n ? r : new float[n];
            a.data().asNioFloat().get(0, copy);
            return copy;
        }
        if (NDArrays.isWholeBuffer(a) && a.dataType() == DataType.DOUBLE) {
            double[] copy = reuse instanceof double[] r && r.length == n ? r : new double[n];
            a.data().asNioDouble().get(0, copy);
            return copy;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return a.dup();
        }
    }

    private void average(INDArray target, INDArray online) {
        boolean small = target.length() <= JAVA_LIMIT && NDArrays.isWholeBuffer(target)
                && NDArrays.isWholeBuffer(online);
        if (small && target.dataType() == DataType.FLOAT) {
            FloatBuffer t = target.data().asNioFloat();
            FloatBuffer q = online.data().asNioFloat();
            float m = (float) rate;
            float a = (float) (1 - rate);
            for (int i = 0; i < target.length(); i++) {
                t.put(i, m * t.get(i) + a * q.get(i));
            }
        } else if (small && target.dataType() == DataType.DOUBLE) {
            DoubleBuffer t = target.data().asNioDouble();
            DoubleBuffer q = online.data().asNioDouble();
            for (int i = 0; i < target.length(); i++) {
                t.put(i, rate * t.get(i) + (1 - rate) * q.get(i));
            }
        } else {
            target.muli(rate);
            Nd4j.exec(new Axpy(online, target, target, 1 - rate));
        }
    }

    @Override
    public String toString() {
        return "ExponentialMovingAverage(rate=" + rate + ")";
    }
}
