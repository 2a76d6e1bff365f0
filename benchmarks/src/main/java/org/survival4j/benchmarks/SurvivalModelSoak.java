package org.survival4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.survival4j.model.SurvivalModel;

/**
 * Memory soak of a deployed {@link SurvivalModel}: many prediction calls of small batches (1 to 16
 * rows, as a scoring service sees them), printing the heap after collections, JavaCPP's native
 * bytes and the process's resident set every tenth of the run. The calls take turns: survival at
 * 20 times of encoded rows, the median of encoded rows, survival of raw rows (through the
 * recipe). Memory that grows with the number of calls (a kept reference, an array never freed,
 * a network copy per call) shows as a rising trend after warm-up. The models are those of
 * {@link ServingModels}.
 *
 * <pre>
 * mvn -B -DskipTests -Pmodel-soak package -pl benchmarks -am [-Dsoak.calls=1000000] [-Dsoak.kind=COX|WEIBULL|GRID]
 * </pre>
 */
public final class SurvivalModelSoak {
    private static final int BATCHES = 64;

    private SurvivalModelSoak() {
    }

    public static void main(String[] args) throws InterruptedException {
        int calls = SmokeRuns.cap(args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000, 1_000, "calls");
        SurvivalModel.Kind kind = SurvivalModel.Kind.valueOf(args.length > 1 ? args[1] : "COX");
        TrainingNetworks.singleThreaded();
        SurvivalModel model = ServingModels.build(kind);
        double[] times = ServingModels.times(20);
        List<List<Map<String, Object>>> raw = new java.util.ArrayList<>();
        double[][][] encoded = new double[BATCHES][][];
        for (int b = 0; b < BATCHES; b++) {
            raw.add(ServingModels.rawRows(1 + b % 16, 100 + b));
            encoded[b] = model.encode(raw.get(b));
        }
        System.out.println(kind + " model, " + calls + " prediction calls of 1-16 rows; JVM options "
                + ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.println("    calls  heap_MB  javacpp_total_MB  physical_MB  us/call");
        int report = Math.max(1, calls / 10);
        double checksum = 0;
        long start = System.nanoTime();
        long segment = start;
        for (int i = 1; i <= calls; i++) {
            int b = i % BATCHES;
            checksum += switch (i % 3) {
                case 0 -> model.survival(encoded[b], times)[0][10];
                case 1 -> model.quantileTime(encoded[b], 0.5)[0];
                default -> model.survival(raw.get(b), times)[0][19];
            };
            if (i % report == 0) {
                long now = System.nanoTime();
                System.out.println(String.format(Locale.ROOT, "%9d  %7.1f  %16.1f  %11.1f  %7.1f", i,
                        MomentumSoak.settledHeapMegabytes(), Pointer.totalBytes() / 1e6, Pointer.physicalBytes() / 1e6,
                        (now - segment) / 1e3 / report));
                segment = System.nanoTime();
            }
        }
        System.out.println(String.format(Locale.ROOT, "%d calls in %.1f s (checksum %s)", calls,
                (System.nanoTime() - start) / 1e9, checksum));
    }
}
