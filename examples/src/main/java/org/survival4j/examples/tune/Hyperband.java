package org.survival4j.examples.tune;

import java.util.ArrayList;
import java.util.List;

/**
 * The brackets of Hyperband (Li, Jamieson, DeSalvo, Rostamizadeh and Talwalkar 2018, "Hyperband: a
 * novel bandit-based approach to hyperparameter optimization", JMLR 18(185), Algorithm 1), with
 * cross-validation folds as the resource: a configuration evaluated on more folds has a more
 * precise score. With at most {@code R} folds and the halving rate {@code eta}, bracket
 * {@code s} (from \( s_{max} = \lfloor \log_\eta R \rfloor \) down to 0) starts
 * \( n = \lceil \frac{s_{max}+1}{s+1} \eta^s \rceil \) configurations on \( r = R \eta^{-s} \) folds
 * and runs successive halving (Jamieson and Talwalkar 2016): in rung \( i \) the
 * \( n_i = \lfloor n \eta^{-i} \rfloor \) survivors are scored on \( r_i = r \eta^i \) folds (rounded,
 * at most R), and the best \( \lfloor n_i / \eta \rfloor \) go on. Bracket \( s_{max} \) is the most
 * exploratory (many configurations, one fold first); bracket 0 is random search (every
 * configuration on all R folds).
 *
 * <pre>{@code
 * Hyperband.bracket(1, 3, 3);   // s = 1 of R = 3 folds: [3 configs x 1 fold, 1 config x 3 folds]
 * Hyperband.bracket(0, 3, 3);   // s = 0: [2 configs x 3 folds]
 * }</pre>
 */
public final class Hyperband {
    private Hyperband() {
    }

    /**
     * One rung of a bracket.
     *
     * @param configs configurations scored in the rung
     * @param folds folds each of them has been scored on by the end of the rung
     */
    public record Rung(int configs, int folds) {
    }

    /** \( s_{max} = \lfloor \log_\eta R \rfloor \): the number of halvings of the most exploratory bracket. */
    public static int maxBracket(int maxFolds, int eta) {
        check(maxFolds, eta);
        int s = 0;
        for (long r = eta; r <= maxFolds; r *= eta) {
            s++;
        }
        return s;
    }

    /**
     * The rungs of bracket {@code s}.
     *
     * @param s from 0 to {@link #maxBracket}
     * @param maxFolds R, the folds of a full evaluation, {@code >= 1}
     * @param eta the halving rate, {@code >= 2}
     */
    public static List<Rung> bracket(int s, int maxFolds, int eta) {
        int sMax = maxBracket(maxFolds, eta);
        if (s < 0 || s > sMax) {
            throw new IllegalArgumentException("bracket s must be from 0 to " + sMax + ", got " + s);
        }
        long etaS = power(eta, s);
        // integer arithmetic: floating powers of eta make floor(81 * 3^-4) 0 or 1 depending on rounding
        int n = (int) (((sMax + 1) * etaS + s) / (s + 1)); // ceil((sMax + 1) eta^s / (s + 1))
        List<Rung> rungs = new ArrayList<>();
        for (int i = 0; i <= s; i++) {
            long configs = n / power(eta, i);
            long share = power(eta, s - i); // folds = R / eta^(s - i), rounded half up
            long folds = Math.min(maxFolds, Math.max(1, (2L * maxFolds + share) / (2 * share)));
            rungs.add(new Rung((int) Math.max(1, configs), (int) folds));
        }
        return rungs;
    }

    private static long power(int base, int exponent) {
        long p = 1;
        for (int i = 0; i < exponent; i++) {
            p *= base;
        }
        return p;
    }

    private static void check(int maxFolds, int eta) {
        if (maxFolds < 1) {
            throw new IllegalArgumentException("the folds of a full evaluation must be >= 1, got " + maxFolds);
        }
        if (eta < 2) {
            throw new IllegalArgumentException("the halving rate eta must be >= 2, got " + eta);
        }
    }
}
