package org.survival4j.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Training-step times measured interleaved, as ratios per round. Each round runs one epoch of
 * {@value SameDiffMomentumBenchmark#BATCHES} batches with each training under comparison, the order
 * rotating from round to round, and the ratios are taken per round. On a machine shared with other
 * jobs the load changes between JMH's configurations (minutes apart); measurements a few
 * milliseconds apart see the same load, so the median of the per-round ratios is much steadier than
 * the ratio of two JMH means. Modes:
 * <ul>
 * <li>{@code dl4j}, {@code samediff}: momentum / plain of one front end ({@link MomentumStepBenchmark}'s
 * networks; {@link SameDiffMomentumBenchmark}'s graphs, the momentum loss in its default form);</li>
 * <li>{@code frameworks}: SameDiff against DL4J, plain and with momentum, on the same MLPs (ReLU),
 * the SameDiff loss as the kernel's gradient and as a graph function, and SameDiff's own MSE loss
 * as the floor of a SameDiff step;</li>
 * <li>{@code injection}: the two ways of feeding the kernel's gradient into a plain SameDiff step
 * ({@link org.survival4j.samediff.KernelGradientLoss}, filled when the forward pass produces the
 * output; {@link ForwardPassInjection}, an extra forward pass in {@code iterationStart}), with the
 * graph loss for reference.</li>
 * </ul>
 * Not a JMH benchmark: run with
 *
 * <pre>
 * java -cp "$(cat benchmarks/cp.txt):benchmarks/target/classes" \
 *     org.survival4j.benchmarks.InterleavedStepRatio dl4j|samediff|frameworks|injection [rounds]
 * </pre>
 * (with {@code benchmarks/cp.txt} from
 * {@code mvn -DskipTests package dependency:build-classpath -pl benchmarks -am -Dmdep.outputFile=cp.txt}).
 */
public final class InterleavedStepRatio {
    private static final int BATCHES = SameDiffMomentumBenchmark.BATCHES;
    private static final int FEATURES = SameDiffMomentumBenchmark.FEATURES;

    private InterleavedStepRatio() {
    }

    public static void main(String[] args) {
        String mode = args.length < 1 ? "" : args[0];
        if (!List.of("dl4j", "samediff", "frameworks", "injection").contains(mode)) {
            throw new IllegalArgumentException("usage: InterleavedStepRatio dl4j|samediff|frameworks|injection [rounds]");
        }
        int rounds = SmokeRuns.cap(args.length > 1 ? Integer.parseInt(args[1]) : 40, 2, "rounds");
        int warmUp = SmokeRuns.cap(5, 1, "warm-up rounds");
        TrainingNetworks.singleThreaded();
        System.out.println(mode + ", " + rounds + " rounds: us/iteration and ratios per round, median [quartiles]");
        for (int[] shape : new int[][] {{64, 16}, {256, 64}}) {
            int hidden = shape[0];
            int batch = shape[1];
            DataSet data = TrainingNetworks.batches(1, BATCHES * batch, FEATURES, 42)[0];
            Map<String, DoubleSupplier> trainings = new LinkedHashMap<>();
            List<String[]> ratios = new ArrayList<>(); // {numerator, denominator}
            switch (mode) {
                case "dl4j", "samediff" -> {
                    boolean dl4j = mode.equals("dl4j");
                    trainings.put("plain", dl4j ? dl4jEpoch(hidden, batch, data, false)
                            : sameDiffEpoch(SameDiffMomentumBenchmark.mlp(hidden, 7), batch, data, "plain"));
                    trainings.put("momentum", dl4j ? dl4jEpoch(hidden, batch, data, true)
                            : sameDiffEpoch(SameDiffMomentumBenchmark.mlp(hidden, 7), batch, data, "momentum"));
                    ratios.add(new String[] {"momentum", "plain"});
                }
                case "frameworks" -> {
                    trainings.put("dl4j plain", dl4jEpoch(hidden, batch, data, false));
                    trainings.put("dl4j momentum", dl4jEpoch(hidden, batch, data, true));
                    for (String form : new String[] {"plain-kernel", "momentum", "plain", "momentum-graph", "plain-mse"}) {
                        trainings.put("samediff " + form, sameDiffEpoch(SameDiffMomentumBenchmark.mlp(hidden, 7, true),
                                batch, data, form));
                    }
                    ratios.add(new String[] {"samediff plain-kernel", "dl4j plain"});
                    ratios.add(new String[] {"samediff momentum", "dl4j momentum"});
                    ratios.add(new String[] {"samediff plain", "dl4j plain"});
                    ratios.add(new String[] {"samediff momentum-graph", "dl4j momentum"});
                    ratios.add(new String[] {"samediff momentum", "samediff plain-kernel"});
                    ratios.add(new String[] {"dl4j momentum", "dl4j plain"});
                    ratios.add(new String[] {"samediff plain-mse", "dl4j plain"});
                    ratios.add(new String[] {"samediff plain-kernel", "samediff plain-mse"});
                }
                default -> { // injection
                    SameDiff opExecution = SameDiffMomentumBenchmark.mlp(hidden, 7);
                    SameDiff forwardPass = SameDiffMomentumBenchmark.mlp(hidden, 7);
                    trainings.put("activation callback", sameDiffEpoch(opExecution, batch, data, "plain-kernel"));
                    ForwardPassInjection.attach(forwardPass);
                    trainings.put("extra forward pass", epoch(forwardPass, batch, data));
                    trainings.put("graph loss", sameDiffEpoch(SameDiffMomentumBenchmark.mlp(hidden, 7), batch, data,
                            "plain"));
                    trainings.get("activation callback").getAsDouble(); // one epoch each from the same weights:
                    trainings.get("extra forward pass").getAsDouble(); // the same gradients, the same weights
                    System.out.println("after one epoch from the same weights, the two injections' weights are equal: "
                            + sameWeights(opExecution, forwardPass));
                    ratios.add(new String[] {"extra forward pass", "activation callback"});
                    ratios.add(new String[] {"graph loss", "activation callback"});
                }
            }
            Map<String, double[]> times = interleaved(trainings, warmUp, rounds);
            System.out.printf("32-%d-%d-1, batch %d%n", hidden, hidden, batch);
            times.forEach((name, t) -> System.out.printf("  %-24s %s us, 10th percentile %.0f%n", name,
                    summary(t, "%.0f"), percentile(t, 0.1)));
            for (String[] r : ratios) {
                double[] ratio = new double[rounds];
                for (int i = 0; i < rounds; i++) {
                    ratio[i] = times.get(r[0])[i] / times.get(r[1])[i];
                }
                // the 10th percentiles: the epochs least disturbed by other jobs on a shared machine
                System.out.printf("  %s / %s: %s; of the 10th percentiles %.2f%n", r[0], r[1], summary(ratio, "%.2f"),
                        percentile(times.get(r[0]), 0.1) / percentile(times.get(r[1]), 0.1));
            }
        }
    }

    /** {@code warmUp} rounds, then {@code rounds} rounds, each running every training once from a rotating start. */
    private static Map<String, double[]> interleaved(Map<String, DoubleSupplier> trainings, int warmUp, int rounds) {
        List<String> names = new ArrayList<>(trainings.keySet());
        Map<String, double[]> times = new LinkedHashMap<>();
        names.forEach(name -> times.put(name, new double[rounds]));
        for (int r = -warmUp; r < rounds; r++) {
            for (int k = 0; k < names.size(); k++) {
                String name = names.get((k + Math.max(r, 0)) % names.size());
                double t = trainings.get(name).getAsDouble();
                if (r >= 0) {
                    times.get(name)[r] = t;
                }
            }
        }
        return times;
    }

    /** One epoch of {@code net.fit(iterator)}; returns microseconds per iteration. */
    private static DoubleSupplier dl4jEpoch(int hidden, int batch, DataSet data, boolean withMomentum) {
        MultiLayerNetwork net = TrainingNetworks.coxMlp(FEATURES, hidden, 7);
        if (withMomentum) {
            TrainingNetworks.withMomentum(net, batch);
        }
        return () -> {
            long start = System.nanoTime();
            net.fit(new ViewIterator(data, batch));
            return (System.nanoTime() - start) / 1e3 / BATCHES;
        };
    }

    /**
     * One epoch of {@code sd.fit(iterator, 1)} of a {@link SameDiffMomentumBenchmark} graph trained
     * as that benchmark's mode says ({@code plain}, {@code plain-kernel}, {@code momentum},
     * {@code momentum-graph}), or {@code plain-mse}: SameDiff's own mean squared error of the output
     * against the time column, the cheapest loss a SameDiff step can have (the floor of a step);
     * returns microseconds per iteration.
     */
    private static DoubleSupplier sameDiffEpoch(SameDiff sd, int batch, DataSet data, String mode) {
        switch (mode) {
            case "plain-mse" -> {
                SDVariable time = sd.getVariable("label").get(SDIndex.all(), SDIndex.interval(0, 1));
                sd.loss.meanSquaredError("mse", time, sd.getVariable("logHz"), null).markAsLoss();
                sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3)).dataSetFeatureMapping("in")
                        .dataSetLabelMapping("label").build());
            }
            case "momentum" -> SameDiffMomentumBenchmark.withMomentum(sd, batch, false); // the graph carries its listener
            case "momentum-graph" -> SameDiffMomentumBenchmark.withMomentum(sd, batch, true);
            case "plain-kernel" -> SameDiffMomentumBenchmark.withPlainKernel(sd);
            default -> SameDiffMomentumBenchmark.withPlainCox(sd, data, batch);
        }
        return epoch(sd, batch, data);
    }

    private static DoubleSupplier epoch(SameDiff sd, int batch, DataSet data) {
        return () -> {
            ViewIterator batches = new ViewIterator(data, batch);
            long start = System.nanoTime();
            sd.fit(batches, 1);
            return (System.nanoTime() - start) / 1e3 / BATCHES;
        };
    }

    private static boolean sameWeights(SameDiff a, SameDiff b) {
        for (String w : new String[] {"W0", "b0", "W1", "b1", "W2", "b2"}) {
            if (!a.getArrForVarName(w).equals(b.getArrForVarName(w))) {
                return false;
            }
        }
        return true;
    }

    private static double percentile(double[] values, double p) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[(int) (p * (v.length - 1))];
    }

    private static String summary(double[] values, String format) {
        double[] v = values.clone();
        Arrays.sort(v);
        return String.format(format + " [" + format + ", " + format + "]", v[v.length / 2], v[v.length / 4],
                v[(3 * v.length) / 4]);
    }
}
