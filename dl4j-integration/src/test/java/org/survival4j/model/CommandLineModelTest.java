package org.survival4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.survival4j.testing.TestResources;

/**
 * A model trained by {@code survival4j train} (the examples module, not on this classpath) loads
 * here and reproduces what {@code survival4j predict} printed for it: the risk, the survival at each
 * time and the median of 30 rows (15 GBSG rows with tumour sizes in mm, 15 Rotterdam rows with
 * size categories), encoded here by the model's own recipe. The resources {@code cli-model.zip},
 * {@code cli-input.csv} and {@code cli-predicted.csv} were made as the README beside them says.
 */
class CommandLineModelTest {
    /**
     * The network is float (an 8-8-1 ReLU MLP) and its dot products run through OpenBLAS, whose
     * kernel, chosen by the CPU, sums them in its own order. A float dot product of length k with
     * a bias is off by at most (k + 1) 2^-24 sum|x_i w_i| (Higham 2002, section 3.1). For this model
     * and these rows sum|x_i w_i| + |b| <= 5.61 for every hidden unit (3.0e-6), sum|v_j| = 3.49 over
     * the output weights and sum|h_j v_j| <= 3.68 at the output: 3.49 * 3.0e-6 + 8 * 2^-24 * 3.68 =
     * 1.23e-5 from the exact value, 2.46e-5 between two kernels, plus 5e-7 for the 6 printed
     * decimals.
     */
    private static final double RISK_TOLERANCE = 2.5e-5;
    /** S = exp(-H0 e^eta) moves by S H |d eta| <= |d eta| / e: 9.1e-6, plus 5e-7 for the print. */
    private static final double SURVIVAL_TOLERANCE = 1e-5;

    @TempDir
    Path dir;

    @Test
    void aModelTrainedByTheCommandLineReproducesItsPredictions() throws IOException {
        SurvivalModel model = SurvivalModel.load(TestResources.file(getClass(), "cli-model.zip", dir.toFile()).toPath());
        List<Map<String, String>> rows = csv("cli-input.csv");
        List<Map<String, String>> printed = csv("cli-predicted.csv");
        assertEquals(SurvivalModel.Kind.COX, model.kind());
        assertEquals(List.of("age", "meno", "size", "grade", "log1p(nodes)", "log1p(pgr)", "log1p(er)", "hormon"),
                model.recipe().covariates());
        assertEquals(30, rows.size());
        assertEquals(rows.size(), printed.size());
        double[] times = printed.get(0).keySet().stream().filter(c -> c.startsWith("survival_at_"))
                .mapToDouble(c -> Double.parseDouble(c.substring("survival_at_".length()))).toArray();
        assertEquals(4, times.length);

        double[] risk = model.risk(rows);
        double[][] survival = model.survival(rows, times);
        double[] grid = model.timeGrid();
        double[][] onGrid = model.survival(rows, grid);
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> p = printed.get(i);
            String row = "row " + (i + 1);
            assertEquals(Double.parseDouble(p.get("risk")), risk[i], RISK_TOLERANCE, row);
            for (int k = 0; k < times.length; k++) {
                assertEquals(Double.parseDouble(p.get("survival_at_" + (long) times[k])), survival[i][k],
                        SURVIVAL_TOLERANCE, row + ", t = " + times[k]);
            }
            // the median is where the step curve first reaches 1/2: the same event time, unless the
            // curve passes within the tolerance of 1/2 there
            String median = p.get("median");
            if (median.equals("not reached")) {
                assertTrue(onGrid[i][grid.length - 1] > 0.5 - SURVIVAL_TOLERANCE, row + ": " + onGrid[i][grid.length - 1]);
            } else {
                int at = Arrays.binarySearch(grid, Double.parseDouble(median));
                assertTrue(at >= 0, row + ": the median " + median + " is a training event time");
                assertTrue(onGrid[i][at] <= 0.5 + SURVIVAL_TOLERANCE, row + ": " + onGrid[i][at]);
                assertTrue(at == 0 || onGrid[i][at - 1] > 0.5 - SURVIVAL_TOLERANCE, row + ": " + onGrid[i][at - 1]);
            }
        }
        assertEquals(14, printed.stream().filter(p -> p.get("median").equals("not reached")).count());
    }

    /** A CSV resource without quoted fields, as maps from column to text. */
    private static List<Map<String, String>> csv(String name) {
        try (InputStream in = CommandLineModelTest.class.getResourceAsStream(name)) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().lines().toList();
            String[] header = lines.get(0).split(",");
            List<Map<String, String>> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] values = line.split(",", -1);
                assertEquals(header.length, values.length, line);
                Map<String, String> row = new LinkedHashMap<>();
                for (int j = 0; j < header.length; j++) {
                    row.put(header[j], values[j]);
                }
                rows.add(row);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
