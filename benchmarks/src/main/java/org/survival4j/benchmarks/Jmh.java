package org.survival4j.benchmarks;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The {@code bench} profile's main class: JMH's own ({@code org.openjdk.jmh.Main}) with the same
 * arguments, except under the smoke budget ({@link SmokeRuns}), where the benchmarks and
 * parameters selected by the arguments run one 100 ms iteration each, without warm-up, in this JVM.
 */
public final class Jmh {
    private Jmh() {
    }

    public static void main(String[] args) throws Exception {
        if (!SmokeRuns.active()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        SmokeRuns.announce("one 100 ms iteration of each benchmark, no warm-up, no fork");
        // timings mean nothing here, so another JMH run on the machine (its lock) is no reason to stop
        System.setProperty("jmh.ignoreLock", "true");
        // the builder's settings take precedence over the parent's (the command line's)
        new Runner(new OptionsBuilder().parent(new CommandLineOptions(args)).forks(0).warmupIterations(0)
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(100)).build()).run();
    }
}
