package org.survival4j.examples.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.survival4j.dl4j.EarlyStopping;
import org.survival4j.examples.train.BreastCancerCohorts;
import org.survival4j.examples.train.CrossValidation;
import org.survival4j.examples.train.StoppingRule;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.examples.train.Trainer;

/** Tiny tuning runs (a few trials of a few epochs on 300 rows): the schedule, the choice, reproducibility. */
class TunerTest {
    private static final StoppingRule QUICK = new StoppingRule(EarlyStopping.Criterion.C_INDEX, 2, 3);
    private static SurvivalData data;

    @BeforeAll
    static void data() {
        Trainer.useOneThread();
        SurvivalData rotterdam = BreastCancerCohorts.rotterdamNodePositive();
        data = rotterdam.split(300.0 / rotterdam.size(), 11)[1]; // 300 random rows: the file is sorted by follow-up
    }

    private static Tuner.Result tune(Tuner.Search search, int trials, int jobs) {
        Tuner.Plan plan = new Tuner.Plan(search, 3, 1, 0, 3, QUICK, trials, Double.POSITIVE_INFINITY, 0, jobs, 5);
        return Tuner.run(data, plan, System.nanoTime(), p -> { });
    }

    /**
     * Three folds, eta 3: a bracket starts three trials on one fold and takes the best of them to
     * all three; the fourth trial opens a second bracket, of one trial, which goes on alone.
     */
    @Test
    void halvingTakesTheBestThirdOnToAllFolds() {
        Tuner.Result r = tune(Tuner.Search.HALVING, 4, 2);
        List<Trial> t = r.trials();

        assertEquals(4, t.size());
        List<Trial> first = t.subList(0, 3);
        Trial promoted = first.stream().filter(x -> x.folds().size() == 3).findFirst().orElseThrow();
        assertEquals(Trial.Status.FINISHED, promoted.status());
        for (Trial x : first) {
            if (x != promoted) {
                assertEquals(Trial.Status.STOPPED, x.status());
                assertEquals(1, x.folds().size());
                assertTrue(x.folds().get(0).concordance() <= promoted.folds().get(0).concordance(),
                        "the promoted trial was the best on the first fold");
            }
        }
        assertEquals(3, t.get(3).folds().size());
        assertEquals(2, t.get(3).bracket());
        Trial best = promoted.score() >= t.get(3).score() ? promoted : t.get(3);
        assertSame(best, r.chosen(), "the best mean C among the trials on all folds");
    }

    @Test
    void theSameTrialsOnOneOrTwoThreads() {
        Tuner.Result one = tune(Tuner.Search.HALVING, 4, 1);
        Tuner.Result two = tune(Tuner.Search.HALVING, 4, 2);

        assertEquals(one.chosen().id(), two.chosen().id());
        for (int i = 0; i < 4; i++) {
            Trial a = one.trials().get(i);
            Trial b = two.trials().get(i);
            assertEquals(a.settings(), b.settings());
            assertEquals(a.status(), b.status());
            assertEquals(a.folds().stream().map(CrossValidation.FoldResult::concordance).toList(),
                    b.folds().stream().map(CrossValidation.FoldResult::concordance).toList(), "trial " + a.id());
        }
    }

    @Test
    void aValidationSplitScoresEveryTrialOnce() {
        Tuner.Plan plan = new Tuner.Plan(Tuner.Search.HALVING, 3, 1, 0.25, 3, QUICK, 2, Double.POSITIVE_INFINITY, 0, 2, 5);
        Tuner.Result r = Tuner.run(data, plan, System.nanoTime(), p -> { });

        assertEquals(2, r.trials().size());
        assertTrue(r.trials().stream().allMatch(x -> x.folds().size() == 1 && x.status() == Trial.Status.FINISHED),
                "one split: nothing to halve");
    }

    @Test
    void randomSearchScoresEveryTrialOnEveryFold() {
        Tuner.Result r = tune(Tuner.Search.RANDOM, 3, 2);

        assertEquals(3, r.trials().size());
        assertTrue(r.trials().stream().allMatch(x -> x.folds().size() == 3 && x.status() == Trial.Status.FINISHED));
        assertEquals(r.trials().stream().mapToDouble(Trial::score).max().orElseThrow(), r.chosen().score(), 0);
        assertEquals("all 3 trials done", r.ended());
    }
}
