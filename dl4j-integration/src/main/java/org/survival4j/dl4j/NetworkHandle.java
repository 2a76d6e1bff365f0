package org.survival4j.dl4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.util.TimeSeriesUtils;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.survival4j.data.NDArrays;

/**
 * What momentum training needs from a network, for {@link ComputationGraph} and
 * {@link MultiLayerNetwork} alike: its parameters, its survival loss, its current input during
 * training, inference, copying, listeners and serialization.
 */
abstract class NetworkHandle {
    /** The network kinds a checkpoint names: {@code "ComputationGraph"}, {@code "MultiLayerNetwork"}. */
    static final String[] KINDS = {ComputationGraph.class.getSimpleName(), MultiLayerNetwork.class.getSimpleName()};

    private final Model model;

    NetworkHandle(Model model) {
        this.model = model;
    }

    /** The wrapped network. */
    final Model model() {
        return model;
    }

    /** {@code "ComputationGraph"} or {@code "MultiLayerNetwork"}. */
    final String kind() {
        return model.getClass().getSimpleName();
    }

    /**
     * An independent copy with the same configuration and parameters, no updater state and no
     * listeners: the target network. (DL4J's {@code clone()} would share the listener collection
     * with the original: {@code setListeners} on one would clear the other's.)
     */
    abstract NetworkHandle copy();

    /**
     * The inputs of the batch being trained on (one per network input), from what
     * {@code onForwardPass} receives: the list of a {@code MultiLayerNetwork}'s activations or the
     * map of a {@code ComputationGraph}'s.
     */
    abstract INDArray[] currentInputs(Object activations);

    /**
     * The features masks of the batch being trained on ({@code [n, timeSteps]} for sequences), one
     * per input, or null: read in {@code onForwardPass}, while DL4J has them set on the network.
     */
    abstract INDArray[] currentInputMasks();

    /** The number of inputs, and how to name them in a message. */
    abstract int inputCount();

    abstract String inputNames();

    /** Inference-mode output, detached from any workspace; {@code masks} (and its entries) may be null. */
    abstract INDArray output(INDArray[] inputs, INDArray[] masks);

    /**
     * Inference-mode output as Java rows {@code [n][columns]}. DL4J computes it in its reusable
     * output workspace and the values are read there ({@code OutputAdapter}), so no native array
     * is allocated per call once the workspace has grown: this is the training loop's form. (A
     * network configured without inference workspaces gets a detached output instead.)
     */
    abstract double[][] outputRows(INDArray[] inputs, INDArray[] masks);

    /** The output layer (its configuration says which loss it uses and whether DL4J averages over the batch). */
    abstract Layer outputLayer();

    /**
     * The gradient of the loss on {@code batch} (training mode, not divided by the batch size),
     * without an update: DL4J's flattened gradient array, overwritten by the next computation.
     */
    abstract INDArray gradientOf(DataSet batch);

    /** One training step on {@code batch} ({@code net.fit}). */
    abstract void fit(DataSet batch);

    private org.deeplearning4j.nn.conf.layers.Layer outputLayerConf() {
        return outputLayer().conf().getLayer();
    }

    /**
     * Fails if DL4J does not divide this network's loss and gradient by the minibatch size
     * ({@code miniBatch(false)}): the survival losses rely on that division ({@link LossEvaluation}).
     */
    final void checkMiniBatch() {
        if (!outputLayer().conf().isMiniBatch()) {
            throw new IllegalArgumentException("the network is configured with miniBatch(false); CoxLossFunction and"
                    + " WeibullLossFunction need DL4J's division by the minibatch size (the default,"
                    + " miniBatch(true)): their score and gradient would be n times too large");
        }
    }

    /** Writes the network (with its updater state) as a {@code ModelSerializer} zip. */
    final void write(OutputStream out) throws IOException {
        ModelSerializer.writeModel(model(), out, true);
    }

    /** The flattened parameter view. */
    final INDArray params() {
        return model().params();
    }

    static NetworkHandle of(ComputationGraph net) {
        checkInitialised(net.getLayers());
        if (net.getNumOutputArrays() != 1) {
            throw new IllegalArgumentException("momentum training needs a graph with one output (the survival output "
                    + "layer); this graph has " + net.getNumOutputArrays() + " outputs");
        }
        return new Graph(net);
    }

    static NetworkHandle of(MultiLayerNetwork net) {
        checkInitialised(net.getLayers());
        return new Layers(net);
    }

    /** A worker replica that DL4J's ParallelWrapper built from the configuration (initialised, one output). */
    static NetworkHandle wrap(Model replica) {
        return replica instanceof ComputationGraph g ? new Graph(g) : new Layers((MultiLayerNetwork) replica);
    }

    private static void checkInitialised(Layer[] layers) {
        if (layers == null) {
            throw new IllegalStateException("the network is not initialised: call net.init() first");
        }
    }

    /** The number of output columns, or 0 where the configuration does not say (a loss layer). */
    final int outputColumns() {
        return outputLayerConf() instanceof BaseOutputLayer o ? (int) o.getNOut() : 0;
    }

    /** The survival loss of {@code model}'s output layer, or null (another loss, or another kind of model). */
    static SurvivalLossFunction survivalLossOf(Model model) {
        Layer output = model instanceof MultiLayerNetwork m ? m.getOutputLayer()
                : model instanceof ComputationGraph g && g.getNumOutputArrays() == 1 ? g.getOutputLayer(0) : null;
        return output != null && lossOf(output.conf().getLayer()) instanceof SurvivalLossFunction s ? s : null;
    }

    private static ILossFunction lossOf(org.deeplearning4j.nn.conf.layers.Layer conf) {
        return conf instanceof BaseOutputLayer o ? o.getLossFn() : conf instanceof LossLayer l ? l.getLossFn() : null;
    }

    /** Restores a network written by {@link #write} of the given kind. */
    static NetworkHandle read(String kind, InputStream in) throws IOException {
        if (kind.equals(KINDS[0])) {
            return new Graph(ModelSerializer.restoreComputationGraph(in, true));
        }
        if (kind.equals(KINDS[1])) {
            return new Layers(ModelSerializer.restoreMultiLayerNetwork(in, true));
        }
        throw new IOException("unknown network kind in checkpoint: " + kind);
    }

    /**
     * The survival loss of the output layer.
     *
     * @throws IllegalArgumentException if the output layer does not use a survival loss of this package
     */
    final SurvivalLossFunction survivalLoss() {
        org.deeplearning4j.nn.conf.layers.Layer conf = outputLayerConf();
        if (lossOf(conf) instanceof SurvivalLossFunction s) {
            return s;
        }
        throw new IllegalArgumentException("momentum training needs an output layer with a survival loss"
                + " (CoxLossFunction, WeibullLossFunction, GridHazardLossFunction, CauseSpecificCoxLossFunction,"
                + " FineGrayLossFunction or DeepHitLossFunction); the output layer " + conf.getClass().getSimpleName()
                + " uses " + lossOf(conf));
    }

    /**
     * Gives the output layer a loss instance of its own and returns it. {@code net.clone()} shares the
     * loss instance between the copies, so a memory bank installed into a shared instance would
     * leak into the other network.
     */
    final SurvivalLossFunction ownSurvivalLoss() {
        SurvivalLossFunction own = survivalLoss().freshCopy();
        org.deeplearning4j.nn.conf.layers.Layer conf = outputLayerConf();
        if (conf instanceof BaseOutputLayer o) {
            o.setLossFn(own);
        } else {
            ((LossLayer) conf).setLossFn(own);
        }
        return own;
    }

    final void addListener(TrainingListener listener) {
        Collection<TrainingListener> listeners = listeners();
        List<TrainingListener> all = listeners == null ? new ArrayList<>() : new ArrayList<>(listeners);
        all.add(listener);
        setListeners(all);
    }

    final void removeListener(TrainingListener listener) {
        List<TrainingListener> all = new ArrayList<>(listeners());
        all.remove(listener);
        setListeners(all);
    }

    abstract Collection<TrainingListener> listeners();

    private void setListeners(Collection<TrainingListener> listeners) {
        model().setListeners(listeners);
    }

    private static final class Graph extends NetworkHandle {
        private final ComputationGraph net;

        Graph(ComputationGraph net) {
            super(net);
            this.net = net;
        }

        @Override
        NetworkHandle copy() {
            ComputationGraph copy = new ComputationGraph(net.getConfiguration().clone());
            copy.init(net.params().dup(), false);
            return new Graph(copy);
        }

        @Override
        INDArray[] currentInputs(Object activations) {
            // the map holds every vertex's output, the input vertices' included
            List<String> names = net.getConfiguration().getNetworkInputs();
            INDArray[] inputs = new INDArray[names.size()];
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = ((java.util.Map<?, ?>) activations).get(names.get(i)) instanceof INDArray a ? a
                        : net.getInput(i);
            }
            return inputs;
        }

        @Override
        INDArray[] currentInputMasks() {
            return net.getInputMaskArrays();
        }

        @Override
        int inputCount() {
            return net.getNumInputArrays();
        }

        @Override
        String inputNames() {
            return String.join(", ", net.getConfiguration().getNetworkInputs());
        }

        @Override
        INDArray output(INDArray[] inputs, INDArray[] masks) {
            return net.output(false, inputs, masks)[0];
        }

        @Override
        double[][] outputRows(INDArray[] inputs, INDArray[] masks) {
            if (net.getConfiguration().getInferenceWorkspaceMode() == WorkspaceMode.NONE) {
                return NDArrays.rows(output(inputs, masks)); // DL4J refuses an output workspace then
            }
            return net.output(inputs, masks, null, outputs -> NDArrays.rows(outputs[0]));
        }

        @Override
        Layer outputLayer() {
            return net.getOutputLayer(0);
        }

        @Override
        INDArray gradientOf(DataSet batch) {
            net.setInputs(batch.getFeatures());
            net.setLabels(batch.getLabels());
            INDArray fm = batch.getFeaturesMaskArray();
            INDArray lm = batch.getLabelsMaskArray();
            net.setLayerMaskArrays(fm == null ? null : new INDArray[] {fm}, lm == null ? null : new INDArray[] {lm});
            net.computeGradientAndScore();
            return net.gradient().gradient();
        }

        @Override
        void fit(DataSet batch) {
            net.fit(batch);
        }

        @Override
        Collection<TrainingListener> listeners() {
            return net.getListeners();
        }
    }

    private static final class Layers extends NetworkHandle {
        private final MultiLayerNetwork net;

        Layers(MultiLayerNetwork net) {
            super(net);
            this.net = net;
        }

        @Override
        NetworkHandle copy() {
            MultiLayerNetwork copy = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
            copy.init(net.params().dup(), false);
            return new Layers(copy);
        }

        @Override
        INDArray[] currentInputs(Object activations) {
            return new INDArray[] {net.getInput()};
        }

        @Override
        INDArray[] currentInputMasks() {
            // fit hands the features mask to the layers only (getMaskArray() stays null): the first
            // layer's mask is the features mask, after the first layer's input preprocessor.
            INDArray mask = net.getnLayers() == 0 ? null : net.getLayer(0).getMaskArray();
            return mask == null ? null : new INDArray[] {featuresMask(mask)};
        }

        /**
         * The features mask that became the first layer's {@code mask}. A recurrent-to-feed-forward
         * preprocessor turns {@code [n, T]} into {@code [n * T, 1]} (column-major, for NCW and NWC
         * input alike); that is undone. Any other change of the row count cannot be, and is refused
         * (the step has not updated anything yet).
         */
        private INDArray featuresMask(INDArray mask) {
            INDArray input = net.getInput();
            long n = input.size(0);
            if (mask.size(0) == n) {
                return mask;
            }
            boolean timeSteps = input.rank() == 3
                    && (mask.length() == n * input.size(2) || mask.length() == n * input.size(1));
            if (timeSteps) {
                return TimeSeriesUtils.reshapeVectorToTimeSeriesMask(mask, (int) n);
            }
            throw new IllegalStateException("cannot recover the features mask of this batch for the target network:"
                    + " the first layer's input preprocessor ("
                    + net.getLayerWiseConfigurations().getInputPreProcess(0) + ") turned it into shape "
                    + Arrays.toString(mask.shape()) + " for an input of shape " + Arrays.toString(input.shape())
                    + "; train such a network without a features mask");
        }

        @Override
        int inputCount() {
            return 1;
        }

        @Override
        String inputNames() {
            return "features";
        }

        @Override
        INDArray output(INDArray[] inputs, INDArray[] masks) {
            return net.output(inputs[0], false, masks == null ? null : masks[0], null);
        }

        @Override
        double[][] outputRows(INDArray[] inputs, INDArray[] masks) {
            if (net.getLayerWiseConfigurations().getInferenceWorkspaceMode() == WorkspaceMode.NONE) {
                return NDArrays.rows(output(inputs, masks)); // DL4J refuses an output workspace then
            }
            return net.output(inputs[0], masks == null ? null : masks[0], null, outputs -> NDArrays.rows(outputs[0]));
        }

        @Override
        Layer outputLayer() {
            return net.getOutputLayer();
        }

        @Override
        INDArray gradientOf(DataSet batch) {
            net.setInput(batch.getFeatures());
            net.setLabels(batch.getLabels());
            net.setLayerMaskArrays(batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
            net.computeGradientAndScore();
            return net.gradient().gradient();
        }

        @Override
        void fit(DataSet batch) {
            net.fit(batch);
        }

        @Override
        Collection<TrainingListener> listeners() {
            return net.getListeners();
        }
    }
}
