package org.survival4j.explain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.survival4j.model.FeatureRecipe;
import org.survival4j.model.SurvivalModel;

/**
 * A named set of a model's input columns that an explanation treats as one feature: permuted
 * together, or one player of a Shapley game. A raw categorical column encoded one-hot is one
 * group, so that its rows stay valid codes.
 *
 * <pre>{@code
 * List<FeatureGroup> raw = FeatureGroup.byRawColumn(model);     // "age" -> [0], "grade" -> [2, 3], ...
 * List<FeatureGroup> each = FeatureGroup.eachColumn(model);     // one group per input column
 * }</pre>
 *
 * @param name the name reported
 * @param columns the input columns (0-based), at least one, distinct
 * @since 0.2
 */
public record FeatureGroup(String name, int[] columns) {
    /** Checks and copies. */
    public FeatureGroup {
        Objects.requireNonNull(name, "name");
        columns = Objects.requireNonNull(columns, "columns of " + name).clone();
        if (columns.length == 0) {
            throw new IllegalArgumentException("feature group '" + name + "' has no columns");
        }
        if (Arrays.stream(columns).distinct().count() != columns.length || Arrays.stream(columns).anyMatch(c -> c < 0)) {
            throw new IllegalArgumentException("feature group '" + name + "': columns must be distinct and >= 0, got "
                    + Arrays.toString(columns));
        }
    }

    @Override
    public int[] columns() {
        return columns.clone();
    }

    /** One group per input column, named after the recipe's covariates ({@code x1, x2, ...} without a recipe). */
    public static List<FeatureGroup> eachColumn(SurvivalModel model) {
        FeatureRecipe recipe = Objects.requireNonNull(model, "model").recipe();
        List<FeatureGroup> groups = new ArrayList<>();
        for (int j = 0; j < model.inputs(); j++) {
            groups.add(new FeatureGroup(recipe == null ? "x" + (j + 1) : recipe.covariates().get(j), new int[] {j}));
        }
        return groups;
    }

    /** One group per raw column of the model's recipe (a one-hot column's covariates together). */
    public static List<FeatureGroup> byRawColumn(SurvivalModel model) {
        FeatureRecipe recipe = Objects.requireNonNull(model, "model").recipe();
        if (recipe == null) {
            throw new IllegalArgumentException("the model has no feature recipe, so no raw columns: use eachColumn");
        }
        List<String> covariates = recipe.covariates();
        List<FeatureGroup> groups = new ArrayList<>();
        for (FeatureRecipe.Column c : recipe.columns()) {
            groups.add(new FeatureGroup(c.name(), c.covariates().stream().mapToInt(covariates::indexOf).toArray()));
        }
        return groups;
    }

    /** Checks that groups name columns of a model with {@code inputs} columns; with {@code partition}, that they cover each once. */
    static List<FeatureGroup> check(List<FeatureGroup> groups, int inputs, boolean partition) {
        List<FeatureGroup> g = List.copyOf(Objects.requireNonNull(groups, "groups"));
        if (g.isEmpty()) {
            throw new IllegalArgumentException("no feature groups given");
        }
        int[] uses = new int[inputs];
        for (FeatureGroup group : g) {
            for (int c : group.columns) {
                if (c >= inputs) {
                    throw new IllegalArgumentException("feature group '" + group.name + "' names column " + c
                            + " but the model has " + inputs + " inputs");
                }
                uses[c]++;
            }
        }
        for (int c = 0; partition && c < inputs; c++) {
            if (uses[c] != 1) {
                throw new IllegalArgumentException("input column " + c + " is in " + uses[c] + " feature groups; Shapley"
                        + " values need groups that hold every column exactly once");
            }
        }
        return g;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureGroup f && name.equals(f.name) && Arrays.equals(columns, f.columns);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(columns);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(columns);
    }
}
