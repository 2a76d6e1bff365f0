package org.survival4j.examples.train;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.dropout.AlphaDropout;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.schedule.ISchedule;
import org.survival4j.dl4j.CauseSpecificCoxLossFunction;
import org.survival4j.dl4j.CoxLossFunction;
import org.survival4j.dl4j.DeepHitLossFunction;
import org.survival4j.dl4j.FineGrayLossFunction;
import org.survival4j.dl4j.GridHazardLossFunction;
import org.survival4j.dl4j.WeibullLossFunction;
import org.survival4j.examples.train.TrainingSettings.LossKind;

/**
 * Builds the survival MLP of a {@link TrainingSettings}: the covariates, then the hidden dense
 * layers, then an identity output layer with {@link CoxLossFunction} (one output, no bias: the
 * partial likelihood ignores a common shift), {@link WeibullLossFunction} (two outputs) or
 * {@link GridHazardLossFunction} (one per knot); for competing risks
 * {@link CauseSpecificCoxLossFunction} (one per cause, no bias), {@link FineGrayLossFunction} (one,
 * no bias) or {@link DeepHitLossFunction} (one per cause and grid time, pycox's alpha 0.2 and
 * sigma 0.1, the grid from {@link #gridKnots}).
 *
 * <ul>
 *   <li>Hidden layers: ReLU with He initialisation, SELU with LeCun-normal initialisation, or
 *       tanh with Xavier initialisation ({@link TrainingSettings.ActivationKind}). Dropout on each
 *       hidden layer's output (DL4J applies it to the next layer's input); with SELU it is alpha
 *       dropout ({@link AlphaDropout}), which keeps SELU's zero mean and unit variance.</li>
 *   <li>Output layer: Xavier for Cox; the Weibull and grid layers start as the covariate-free fit
 *       of the training data (see {@link MarginalWeibull}): its log scale and log shape, or the
 *       constant hazard, as output biases, output weights near zero.</li>
 *   <li>Optimizer: Adam or SGD with Nesterov momentum, the learning rate following the settings'
 *       schedule (counted in epochs: the trainer advances the network's epoch counter), and
 *       decoupled weight decay or an L2 penalty on each layer's weights (not the biases).</li>
 * </ul>
 */
public final class NetworkFactory {
    /** DeepHit's weight of the likelihood against the ranking loss (pycox's default). */
    public static final double DEEPHIT_ALPHA = 0.2;
    /** DeepHit's ranking-loss scale (pycox's default). */
    public static final double DEEPHIT_SIGMA = 0.1;

    private NetworkFactory() {
    }

    /** The network for {@code settings}, initialised. */
    public static MultiLayerNetwork build(SurvivalData train, TrainingSettings settings) {
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(settings.seed())
                .dataType(DataType.FLOAT)
                .updater(updater(settings))
                .list();
        int in = train.columns().size();
        for (int i = 0; i < settings.hidden().size(); i++) {
            DenseLayer.Builder dense = new DenseLayer.Builder().nIn(in).nOut(settings.hidden().get(i))
                    .activation(activation(settings)).weightInit(weightInit(settings));
            if (i > 0) {
                dropOut(dense, settings, i - 1);
            }
            regularize(dense, settings);
            layers.layer(dense.build());
            in = settings.hidden().get(i);
        }
        LossKind kind = settings.loss();
        // partial likelihoods ignore a common shift of each output: no bias, Xavier weights as for Cox
        boolean cox = kind == LossKind.COX || kind == LossKind.CAUSE_SPECIFIC || kind == LossKind.FINE_GRAY;
        double[] knots = kind == LossKind.GRID || kind == LossKind.DEEPHIT ? gridKnots(train, settings.knots()) : null;
        ILossFunction loss = switch (kind) {
            case COX -> new CoxLossFunction(settings.ties());
            case WEIBULL -> new WeibullLossFunction();
            case GRID -> new GridHazardLossFunction(knots);
            case CAUSE_SPECIFIC -> new CauseSpecificCoxLossFunction(settings.causes(), settings.ties());
            case FINE_GRAY -> new FineGrayLossFunction(settings.cause(), settings.ties());
            case DEEPHIT -> new DeepHitLossFunction(settings.causes(), knots.length, DEEPHIT_ALPHA, DEEPHIT_SIGMA);
        };
        int outputs = switch (kind) {
            case COX, FINE_GRAY -> 1;
            case WEIBULL -> 2;
            case GRID -> knots.length;
            case CAUSE_SPECIFIC -> settings.causes();
            case DEEPHIT -> settings.causes() * knots.length;
        };
        OutputLayer.Builder output = new OutputLayer.Builder(loss).nIn(in).nOut(outputs)
                .activation(Activation.IDENTITY).hasBias(!cox)
                // Weibull and grid: a random output layer means random log shapes of +-4 (shape 55) or
                // log hazards, whose cumulative hazards overflow float; start near the marginal fit instead.
                .weightInit(cox ? new WeightInitXavier() : new WeightInitDistribution(new NormalDistribution(0, 1e-3)));
        if (!settings.hidden().isEmpty()) {
            dropOut(output, settings, settings.hidden().size() - 1);
        }
        regularize(output, settings);
        layers.layer(output.build());
        MultiLayerNetwork net = new MultiLayerNetwork(layers.build());
        net.init();
        if (kind == LossKind.WEIBULL || kind == LossKind.GRID) {
            INDArray bias = net.getLayer(settings.hidden().size()).getParam("b");
            if (knots != null) {
                // the constant hazard that fits the training data: events / total time at risk
                double exposure = Arrays.stream(train.time()).sum();
                bias.assign(Math.log(Math.max(train.events(), 1) / Math.max(exposure, Double.MIN_NORMAL)));
            } else {
                MarginalWeibull start = MarginalWeibull.fit(train.time(), train.event());
                bias.putScalar(0, start.logScale());
                bias.putScalar(1, start.logShape());
            }
        }
        return net;
    }

    /** Adam or Nesterov's SGD at the settings' learning rate, or its schedule. */
    static IUpdater updater(TrainingSettings settings) {
        ISchedule schedule = settings.schedule().toSchedule(settings.learningRate());
        return switch (settings.optimizer()) {
            case ADAM -> schedule == null ? new Adam(settings.learningRate()) : new Adam(schedule);
            case NESTEROV -> schedule == null ? new Nesterovs(settings.learningRate(), settings.sgdMomentum())
                    : new Nesterovs(schedule, settings.sgdMomentum());
        };
    }

    private static Activation activation(TrainingSettings settings) {
        return switch (settings.activation()) {
            case RELU -> Activation.RELU;
            case SELU -> Activation.SELU;
            case TANH -> Activation.TANH;
        };
    }

    private static IWeightInit weightInit(TrainingSettings settings) {
        return switch (settings.activation()) {
            case RELU -> WeightInit.RELU.getWeightInitFunction();
            case SELU -> WeightInit.LECUN_NORMAL.getWeightInitFunction();
            case TANH -> new WeightInitXavier();
        };
    }

    /**
     * Weight decay or the L2 penalty on the layer's weights. Set on each layer: DL4J M2.1's global
     * {@code NeuralNetConfiguration.Builder.weightDecay} puts the decay twice into every layer's
     * list, which then shrinks the weights twice per step.
     */
    private static void regularize(BaseLayer.Builder<?> layer, TrainingSettings settings) {
        if (settings.weightDecay() > 0) {
            layer.weightDecay(settings.weightDecay());
        }
        if (settings.l2() > 0) {
            layer.l2(settings.l2());
        }
    }

    /** Dropout of hidden layer {@code hiddenLayer}'s output, on the input of the layer built by {@code layer}. */
    private static void dropOut(BaseLayer.Builder<?> layer, TrainingSettings settings, int hiddenLayer) {
        double p = settings.dropoutOf(hiddenLayer);
        if (p > 0) {
            // DL4J takes the probability of keeping a unit
            IDropout d = settings.activation() == TrainingSettings.ActivationKind.SELU ? new AlphaDropout(1 - p)
                    : new Dropout(1 - p);
            layer.dropOut(d);
        }
    }

    /**
     * Knots of the grid loss (and the DeepHit grid): 0 and {@code count - 1} equally spaced
     * quantiles of the training event times (of any cause), up to the largest (fewer if quantiles coincide).
     */
    public static double[] gridKnots(SurvivalData train, int count) {
        double[] events = IntStream.range(0, train.size()).filter(i -> train.event()[i] != 0)
                .mapToDouble(i -> train.time()[i]).filter(t -> t > 0).sorted().toArray();
        if (events.length == 0) {
            throw new InvalidInputException(train.name() + " has no event after time 0: the grid loss places its"
                    + " knots at the event times");
        }
        double[] knots = new double[count];
        for (int k = 1; k < count; k++) {
            knots[k] = Quantiles.lower(events, (double) k / (count - 1));
        }
        return Arrays.stream(knots).distinct().sorted().toArray();
    }
}
