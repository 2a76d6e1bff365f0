package org.survival4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.survival4j.examples.train.LearningRateSchedule;
import org.survival4j.examples.train.TrainingSettings;
import org.survival4j.examples.tune.SearchSpace;
import picocli.CommandLine;

/** The train options written for a tuned model give back exactly its settings when train reads them. */
class TrainArgumentsTest {
    private static TrainingSettings parsed(List<String> options) {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(options);
        CommandLine cli = Survival4jCli.commandLine();
        cli.parseArgs(args.toArray(String[]::new));
        return cli.getSubcommands().get("train").<TrainCommand>getCommand().settings();
    }

    @Test
    void everyDrawOfTheSearchSpaceRoundTrips() {
        for (int i = 0; i < 300; i++) {
            TrainingSettings s = SearchSpace.sample(SearchSpace.generator(1, i), 900, i).withEpochs(1 + i % 50);

            assertEquals(s, parsed(TrainArguments.of(s)), String.join(" ", TrainArguments.of(s)));
        }
    }

    @Test
    void stepSchedulesAndL2RoundTrip() {
        TrainingSettings s = TrainingSettings.defaults().withWeightDecay(0).withL2(1.5)
                .withSchedule(LearningRateSchedule.step(0.3, 7)).withHidden(List.of()).withDropout(0);

        assertEquals(s, parsed(TrainArguments.of(s)));
    }
}
