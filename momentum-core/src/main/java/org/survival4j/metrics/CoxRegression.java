package org.survival4j.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.survival4j.data.SurvivalArguments;

/**
 * A small Cox proportional hazards regression (Cox 1972, doi:10.1111/j.2517-6161.1972.tb00899.x)
 * with Breslow's ties, fitted by Newton-Raphson, and its Breslow survival curves with their
 * standard errors: what the calibration estimators ({@link SmoothCalibration},
 * {@link CalibrationSlope}) fit to the outcome. Numbers equal R's {@code coxph(..., ties =
 * "breslow")} and {@code survfit} of that fit (its Breslow hazard, {@code ctype = 1}).
 *
 * <p>With covariates \( x_i \) (centred at their means, as {@code coxph} does; this changes no
 * result), risk sets \( R(t) = \{ j : T_j \ge t \} \) and \( S_m(t) = \sum_{j \in R(t)} e^{\beta^\top x_j} x_j^{\otimes m} \),
 * the log partial likelihood over the distinct event times \( t_k \) with \( d_k \) events is
 * \[ \ell(\beta) = \sum_k \Big[ \sum_{i:\,T_i = t_k,\,\delta_i = 1} \beta^\top x_i - d_k \log S_0(t_k) \Big], \]
 * with score \( U = \sum_k [\sum_i x_i - d_k \bar x_k] \), \( \bar x_k = S_1/S_0 \), and
 * information \( I = \sum_k d_k [S_2/S_0 - \bar x_k \bar x_k^\top] \). Newton-Raphson starts at
 * \( \beta = 0 \), halves a step that lowers \( \ell \), and stops once a step is below
 * {@value #STEP_TOLERANCE} (relative to \( 1 + |\beta| \)); the covariance is \( I^{-1} \).
 *
 * <p>Curves: \( H(t \mid z) = e^{\beta^\top z} \sum_{t_k \le t} d_k / S_0(t_k) \) and, as
 * {@code survfit}'s {@code std.err} (Tsiatis 1981, doi:10.1214/aos/1176345373),
 * \( \mathrm{Var}\,H(t \mid z) = e^{2\beta^\top z} \sum_{t_k \le t} d_k / S_0(t_k)^2 + q^\top I^{-1} q \),
 * \( q = e^{\beta^\top z} \sum_{t_k \le t} (d_k / S_0(t_k)) (z - \bar x_k) \).
 *
 * <p>Errors: a singular information matrix (a constant or collinear covariate) is an
 * {@link IllegalArgumentException}; no convergence within {@value #MAX_ITERATIONS} iterations (a
 * coefficient running off to infinity) an {@link IllegalStateException}. Cost: \( O(n p^2) \) per
 * iteration after one sort. Immutable.
 */
final class CoxRegression {
    static final double STEP_TOLERANCE = 1e-12;
    static final int MAX_ITERATIONS = 50;
    private static final int MAX_HALVINGS = 40;

    private final double[] beta;
    private final double[][] covariance;
    private final double logLikelihood;
    private final double[] center;
    private final double shift;
    // at each distinct event time (ascending): the time, cumulative sums of d/S0, d/S0^2 and (d/S0) xbar
    private final double[] eventTimes;
    private final double[] cumHazard;
    private final double[] cumVariance;
    private final double[][] cumHazardMean;

    private CoxRegression(double[] beta, double[][] covariance, double logLikelihood, double[] center, Sweep sweep) {
        this.beta = beta;
        this.covariance = covariance;
        this.logLikelihood = logLikelihood;
        this.center = center;
        this.shift = sweep.shift;
        int k = sweep.times.length;
        int p = beta.length;
        eventTimes = new double[k];
        cumHazard = new double[k];
        cumVariance = new double[k];
        cumHazardMean = new double[k][p];
        double h = 0;
        double v = 0;
        double[] hx = new double[p];
        for (int m = 0; m < k; m++) {
            // sweep.times run from the latest event time down: reverse them
            int r = k - 1 - m;
            double s0 = sweep.s0[r];
            double d = sweep.deaths[r];
            h += d / s0;
            v += d / (s0 * s0);
            for (int a = 0; a < p; a++) {
                hx[a] += d / s0 * sweep.s1[r][a] / s0;
            }
            eventTimes[m] = sweep.times[r];
            cumHazard[m] = h;
            cumVariance[m] = v;
            cumHazardMean[m] = hx.clone();
        }
    }

    /**
     * Fits the model.
     *
     * @param x covariates {@code [n][p]}, finite, {@code p >= 1}
     * @param time observed times, validated
     * @param event event indicators, validated, at least one event
     */
    static CoxRegression fit(double[][] x, double[] time, boolean[] event) {
        int n = x.length;
        int p = x[0].length;
        double[] center = new double[p];
        for (double[] row : x) {
            for (int a = 0; a < p; a++) {
                center[a] += row[a] / n;
            }
        }
        double[][] xc = new double[n][p];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < p; a++) {
                xc[i][a] = x[i][a] - center[a];
            }
        }
        int[] order = IntStream.range(0, n).boxed().sorted(Comparator.comparingDouble(i -> -time[i]))
                .mapToInt(Integer::intValue).toArray();
        double[] beta = new double[p];
        Sweep current = Sweep.of(beta, xc, time, event, order);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double[] step = solve(current.information, current.score);
            double[] next = new double[p];
            boolean small = true;
            for (int a = 0; a < p; a++) {
                next[a] = beta[a] + step[a];
                small &= Math.abs(step[a]) <= STEP_TOLERANCE * (1 + Math.abs(beta[a]));
            }
            Sweep candidate = Sweep.of(next, xc, time, event, order);
            for (int h = 0; h < MAX_HALVINGS && !(candidate.logLikelihood >= current.logLikelihood - 1e-12
                    * Math.abs(current.logLikelihood)); h++) {
                for (int a = 0; a < p; a++) {
                    next[a] = (beta[a] + next[a]) / 2;
                }
                candidate = Sweep.of(next, xc, time, event, order);
            }
            beta = next;
            current = candidate;
            if (small) {
                return new CoxRegression(beta, inverse(current.information), current.logLikelihood, center, current);
            }
        }
        throw new IllegalStateException("the Cox model did not converge in " + MAX_ITERATIONS
                + " Newton-Raphson iterations (a coefficient is running off to infinity: does a covariate separate"
                + " the events from the rest?); last coefficients " + Arrays.toString(beta));
    }

    /** The coefficients \( \hat\beta \) (a copy). */
    double[] coefficients() {
        return beta.clone();
    }

    /** The model-based covariance \( I(\hat\beta)^{-1} \) (a copy). */
    double[][] covariance() {
        double[][] c = new double[covariance.length][];
        for (int a = 0; a < c.length; a++) {
            c[a] = covariance[a].clone();
        }
        return c;
    }

    /** \( \ell(\hat\beta) \). */
    double logLikelihood() {
        return logLikelihood;
    }

    /** \( H(t \mid z) \) (right-continuous: the events at \( t \) count). */
    double cumulativeHazard(double[] z, double t) {
        int k = lastAtOrBefore(t);
        return k < 0 ? 0 : relativeRisk(z) * cumHazard[k];
    }

    /** \( \mathrm{Var}\,H(t \mid z) \), as {@code survfit}'s {@code std.err^2}. */
    double cumulativeHazardVariance(double[] z, double t) {
        int k = lastAtOrBefore(t);
        if (k < 0) {
            return 0;
        }
        double r = relativeRisk(z);
        int p = beta.length;
        double[] q = new double[p];
        for (int a = 0; a < p; a++) {
            q[a] = r * ((z[a] - center[a]) * cumHazard[k] - cumHazardMean[k][a]);
        }
        double quadratic = 0;
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++) {
                quadratic += q[a] * covariance[a][b] * q[b];
            }
        }
        return r * r * cumVariance[k] + quadratic;
    }

    /** \( e^{\beta^\top (z - \bar x)} \) on the scale of the stored sums (shifted for overflow). */
    private double relativeRisk(double[] z) {
        double eta = 0;
        for (int a = 0; a < beta.length; a++) {
            eta += beta[a] * (z[a] - center[a]);
        }
        return Math.exp(eta - shift);
    }

    private int lastAtOrBefore(double t) {
        int i = Arrays.binarySearch(eventTimes, t);
        return i >= 0 ? i : -i - 2;
    }

    /** Solves \( A s = b \) for a symmetric positive definite \( A \) by Cholesky. */
    static double[] solve(double[][] a, double[] b) {
        double[][] l = cholesky(a);
        int p = b.length;
        double[] y = new double[p];
        for (int i = 0; i < p; i++) {
            double s = b[i];
            for (int j = 0; j < i; j++) {
                s -= l[i][j] * y[j];
            }
            y[i] = s / l[i][i];
        }
        double[] s = new double[p];
        for (int i = p - 1; i >= 0; i--) {
            double v = y[i];
            for (int j = i + 1; j < p; j++) {
                v -= l[j][i] * s[j];
            }
            s[i] = v / l[i][i];
        }
        return s;
    }

    static double[][] inverse(double[][] a) {
        int p = a.length;
        double[][] inv = new double[p][p];
        for (int j = 0; j < p; j++) {
            double[] e = new double[p];
            e[j] = 1;
            double[] column = solve(a, e);
            for (int i = 0; i < p; i++) {
                inv[i][j] = column[i];
            }
        }
        return inv;
    }

    private static double[][] cholesky(double[][] a) {
        int p = a.length;
        double[][] l = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    // relative to the diagonal: a constant or collinear covariate leaves only rounding noise
                    SurvivalArguments.checkDefined(s > 1e-10 * Math.abs(a[i][i]) && s > 0,
                            "the Cox model of the outcome", "its information matrix is singular (a covariate is"
                                    + " constant, or the covariates are collinear)");
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    /**
     * One pass over the rows from the latest time down: log partial likelihood, score, information
     * and the risk-set sums at each distinct event time, at one \( \beta \).
     */
    private static final class Sweep {
        double logLikelihood;
        double[] score;
        double[][] information;
        double shift;
        double[] times;
        double[] deaths;
        double[] s0;
        double[][] s1;

        static Sweep of(double[] beta, double[][] x, double[] time, boolean[] event, int[] order) {
            int n = x.length;
            int p = beta.length;
            double[] eta = new double[n];
            double shift = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < p; a++) {
                    eta[i] += beta[a] * x[i][a];
                }
                shift = Math.max(shift, eta[i]);
            }
            Sweep s = new Sweep();
            s.shift = shift;
            s.score = new double[p];
            s.information = new double[p][p];
            double[] times = new double[n];
            double[] deaths = new double[n];
            double[] s0k = new double[n];
            double[][] s1k = new double[n][];
            int groups = 0;
            double s0 = 0;
            double[] s1 = new double[p];
            double[][] s2 = new double[p][p];
            int i = 0;
            while (i < n) {
                double t = time[order[i]];
                int d = 0;
                double etaEvents = 0;
                double[] xEvents = new double[p];
                for (; i < n && time[order[i]] == t; i++) {
                    int row = order[i];
                    double r = Math.exp(eta[row] - shift);
                    s0 += r;
                    for (int a = 0; a < p; a++) {
                        s1[a] += r * x[row][a];
                        for (int b = 0; b <= a; b++) {
                            s2[a][b] += r * x[row][a] * x[row][b];
                        }
                    }
                    if (event[row]) {
                        d++;
                        etaEvents += eta[row];
                        for (int a = 0; a < p; a++) {
                            xEvents[a] += x[row][a];
                        }
                    }
                }
                if (d == 0) {
                    continue;
                }
                s.logLikelihood += etaEvents - d * (Math.log(s0) + shift);
                for (int a = 0; a < p; a++) {
                    double meanA = s1[a] / s0;
                    s.score[a] += xEvents[a] - d * meanA;
                    for (int b = 0; b <= a; b++) {
                        double v = d * (s2[a][b] / s0 - meanA * s1[b] / s0);
                        s.information[a][b] += v;
                        if (b != a) {
                            s.information[b][a] += v;
                        }
                    }
                }
                times[groups] = t;
                deaths[groups] = d;
                s0k[groups] = s0;
                s1k[groups] = s1.clone();
                groups++;
            }
            s.times = Arrays.copyOf(times, groups);
            s.deaths = Arrays.copyOf(deaths, groups);
            s.s0 = Arrays.copyOf(s0k, groups);
            s.s1 = Arrays.copyOf(s1k, groups);
            return s;
        }
    }
}
