package org.survival4j.spark;

import java.io.Serializable;

/**
 * The predictions for one row scored by {@link SurvivalScoring#score(org.apache.spark.api.java.JavaRDD, double, double...)}.
 *
 * @param risk the risk score (higher = shorter survival; {@link org.survival4j.model.SurvivalModel#risk})
 * @param survival \( S(t_j \mid x) \) at the scoring times, in their order
 * @param quantileTime the time at which survival falls to the scoring level, {@code +Infinity}
 *     where it is not reached (as {@link org.survival4j.model.SurvivalModel#quantileTime})
 * @since 0.2
 */
public record SurvivalScore(double risk, double[] survival, double quantileTime) implements Serializable {
    /** Whether the survival curve reaches the level within the model's times (a finite quantile time). */
    public boolean reached() {
        return Double.isFinite(quantileTime);
    }
}
