package org.survival4j.examples;

import java.util.ArrayList;
import java.util.List;

/**
 * The classic external validation of a breast-cancer recurrence model: train on the Rotterdam
 * tumour bank, test on the German Breast Cancer Study Group trial (both from R's {@code survival}
 * package, embedded in this module).
 *
 * <ul>
 *   <li><b>Rotterdam</b>: patients with at least one positive lymph node ({@code nodes > 0}),
 *       1546 of 2982; time {@code rtime} (days), event {@code recur} (relapse).</li>
 *   <li><b>GBSG</b>: all 686 patients (all node-positive); time {@code rfstime} (days), event
 *       {@code status} (recurrence or death).</li>
 * </ul>
 *
 * <p>The eight shared covariates, in this order: {@code age} (years), {@code meno} (1 =
 * post-menopausal), {@code size} (tumour size category: 0 = up to 20 mm, 1 = 20-50 mm, 2 = over 50
 * mm; Rotterdam records the category, GBSG the size in mm, which is binned the same way),
 * {@code grade} (differentiation grade), {@code nodes}, {@code pgr}, {@code er} (positive nodes,
 * progesterone and oestrogen receptors in fmol/l; all three right-skewed, so they enter as
 * {@code log(1 + x)}) and {@code hormon} (1 = hormonal therapy). The covariates are not
 * standardized here; see {@link Standardization}.
 */
final class BreastCancerCohorts {
    /** The covariate columns, in order. */
    static final List<String> COVARIATES = List.of("age", "meno", "size", "grade", "log1p(nodes)", "log1p(pgr)",
            "log1p(er)", "hormon");

    private BreastCancerCohorts() {
    }

    /** Rotterdam patients with {@code nodes > 0}: time {@code rtime}, event {@code recur}. */
    static Cohort rotterdamNodePositive() {
        CsvTable table = CsvTable.dataset("rotterdam.csv");
        String[] sizeCategory = table.text("size");
        double[] size = new double[sizeCategory.length];
        for (int i = 0; i < size.length; i++) {
            size[i] = switch (sizeCategory[i]) {
                case "<=20" -> 0;
                case "20-50" -> 1;
                case ">50" -> 2;
                default -> throw new IllegalArgumentException("rotterdam.csv: unknown size category '"
                        + sizeCategory[i] + "' in data row " + i);
            };
        }
        double[] nodes = table.numeric("nodes");
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] > 0) {
                keep.add(i);
            }
        }
        return cohort("Rotterdam (nodes > 0)", keep, table.numeric("age"), table.numeric("meno"), size,
                table.numeric("grade"), nodes, table.numeric("pgr"), table.numeric("er"), table.numeric("hormon"),
                table.numeric("rtime"), table.numeric("recur"));
    }

    /** All GBSG patients: time {@code rfstime}, event {@code status}; size in mm binned as Rotterdam's. */
    static Cohort gbsg() {
        CsvTable table = CsvTable.dataset("gbsg.csv");
        double[] sizeMm = table.numeric("size");
        double[] size = new double[sizeMm.length];
        for (int i = 0; i < size.length; i++) {
            size[i] = sizeCategory(sizeMm[i]);
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < table.rows(); i++) {
            all.add(i);
        }
        return cohort("GBSG", all, table.numeric("age"), table.numeric("meno"), size, table.numeric("grade"),
                table.numeric("nodes"), table.numeric("pgr"), table.numeric("er"), table.numeric("hormon"),
                table.numeric("rfstime"), table.numeric("status"));
    }

    /** Rotterdam's size categories for a size in mm: {@code <=20} -> 0, {@code 20-50} -> 1, {@code >50} -> 2. */
    static double sizeCategory(double millimetres) {
        if (millimetres <= 20) {
            return 0;
        }
        return millimetres <= 50 ? 1 : 2;
    }

    private static Cohort cohort(String name, List<Integer> rows, double[] age, double[] meno, double[] size,
                                 double[] grade, double[] nodes, double[] pgr, double[] er, double[] hormon,
                                 double[] time, double[] event) {
        int n = rows.size();
        double[][] x = new double[n][];
        double[] t = new double[n];
        double[] e = new double[n];
        for (int k = 0; k < n; k++) {
            int i = rows.get(k);
            x[k] = new double[] {age[i], meno[i], size[i], grade[i], Math.log1p(nodes[i]), Math.log1p(pgr[i]),
                Math.log1p(er[i]), hormon[i]};
            t[k] = time[i];
            e[k] = event[i];
        }
        return new Cohort(name, COVARIATES, x, t, e);
    }
}
