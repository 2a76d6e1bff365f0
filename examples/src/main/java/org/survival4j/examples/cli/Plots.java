package org.survival4j.examples.cli;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.examples.train.ModelCalibration;
import org.survival4j.examples.train.ModelEvaluation;
import org.survival4j.examples.train.Outcome;
import org.survival4j.examples.train.Quantiles;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.examples.train.TrainedModel;
import org.survival4j.examples.train.TrainingProgress;
import org.survival4j.explain.PermutationImportance;
import org.survival4j.explain.PermutationImportance.Metric;
import org.survival4j.metrics.AalenJohansen;
import org.survival4j.metrics.CalibrationCurve;
import org.survival4j.metrics.ConfidenceInterval;
import org.survival4j.metrics.GroupedCalibration;
import org.survival4j.metrics.KaplanMeier;
import org.survival4j.metrics.RepeatedEstimate;
import org.survival4j.model.SurvivalModel;

/**
 * The PNG pictures of a training run, drawn with XChart (headless).
 *
 * <ul>
 *   <li>{@code training-curves.png}: training loss and the monitored C-index per epoch;</li>
 *   <li>{@code km-vs-predicted.png}: the Kaplan-Meier curve of the test data and the mean of the
 *       model's predicted survival curves (calibration in the large);</li>
 *   <li>{@code risk-groups.png}: the test rows cut into tertiles of predicted risk, each with its
 *       Kaplan-Meier curve (steps) and its mean predicted curve (dashed);</li>
 *   <li>{@code calibration.png}: calibration at the horizon, observed against predicted risk: the
 *       smooth curve with its pointwise 95 % band, the groups of predicted risk (Kaplan-Meier with a
 *       95 % interval from Greenwood's variance) and the diagonal of perfect calibration;</li>
 *   <li>{@code importance.png}: the permutation importance of each feature for Harrell's C with the
 *       95 % interval of its mean over the permutations, most important first (not drawn when
 *       the importance is not defined on the test rows).</li>
 *   <li>{@code cumulative-incidence.png}, for a competing-risks model instead of the four above:
 *       per cause, the test rows' Aalen-Johansen cumulative incidence and the mean predicted one.</li>
 * </ul>
 */
final class Plots {
    static final String TRAINING = "training-curves.png";
    static final String CALIBRATION = "km-vs-predicted.png";
    static final String RISK_GROUPS = "risk-groups.png";
    static final String CALIBRATION_AT_HORIZON = "calibration.png";
    static final String IMPORTANCE = "importance.png";
    static final String CUMULATIVE_INCIDENCE = "cumulative-incidence.png";
    private static final int WIDTH = 800;
    private static final int HEIGHT = 600;
    private static final int CURVE_POINTS = 100;
    private static final Color SMOOTH = new Color(0x1f78b4);
    private static final Color GROUPS = new Color(0xd95f02);
    /** The standard normal's 97.5 % quantile: the groups' 95 % intervals, as the curve's band. */
    private static final double Z_975 = 1.959963984540054;

    private Plots() {
    }

    /**
     * Draws all pictures in memory, keyed by file name ({@link #TRAINING}, {@link #CALIBRATION},
     * {@link #RISK_GROUPS}, {@link #CALIBRATION_AT_HORIZON} and, when defined, {@link #IMPORTANCE});
     * {@link #save} writes them.
     *
     * @param test at least {@link ModelEvaluation#MIN_ROWS} rows
     * @param calibration the model's calibration on {@code test}
     * @param importance its permutation importance on {@code test}
     */
    static Map<String, Chart<?, ?>> draw(TrainedModel model, SurvivalData test, String monitored,
                                         ModelCalibration calibration, Outcome<PermutationImportance> importance) {
        System.setProperty("java.awt.headless", "true");
        Map<String, Chart<?, ?>> charts = new LinkedHashMap<>();
        charts.put(TRAINING, trainingCurves(model.history(), monitored));
        double[] times = curveTimes(test);
        INDArray survival = Nd4j.createFromArray(model.survivalModel().survival(test.x(), times));
        charts.put(CALIBRATION, calibration(test, times, survival));
        charts.put(RISK_GROUPS, riskGroups(test, times, survival, model.survivalModel().risk(test.x())));
        charts.put(CALIBRATION_AT_HORIZON, calibrationAtHorizon(calibration, test.name()));
        if (importance.defined()) {
            charts.put(IMPORTANCE, importance(importance.value(), test.name()));
        }
        return charts;
    }

    /**
     * The pictures of a competing-risks model ({@link #TRAINING} and {@link #CUMULATIVE_INCIDENCE}),
     * keyed by file name.
     */
    static Map<String, Chart<?, ?>> drawCompeting(TrainedModel model, SurvivalData test, String monitored) {
        System.setProperty("java.awt.headless", "true");
        Map<String, Chart<?, ?>> charts = new LinkedHashMap<>();
        charts.put(TRAINING, trainingCurves(model.history(), monitored));
        charts.put(CUMULATIVE_INCIDENCE, cumulativeIncidence(model.survivalModel(), test));
        return charts;
    }

    /** Per cause: the test rows' Aalen-Johansen cumulative incidence (steps) and the mean predicted one (a line). */
    private static XYChart cumulativeIncidence(SurvivalModel model, SurvivalData test) {
        XYChart chart = chart("Aalen-Johansen vs mean predicted cumulative incidence (" + test.name() + ")", "time",
                "cumulative incidence");
        double[] times = curveTimes(test);
        Color[] colors = {new Color(0x1b9e77), new Color(0xd95f02), new Color(0x7570b3), new Color(0xe7298a)};
        int[] causes = model.causes();
        for (int c = 0; c < causes.length; c++) {
            Color color = colors[c % colors.length];
            double[] aj = AalenJohansen.cumulativeIncidence(test.timeArray(), Nd4j.createFromArray(test.event()),
                    causes[c], times);
            chart.addSeries("cause " + causes[c] + ": Aalen-Johansen", times, aj)
                    .setXYSeriesRenderStyle(XYSeriesRenderStyle.Step).setMarker(SeriesMarkers.NONE).setLineColor(color);
            double[] predicted = Nd4j.createFromArray(model.cumulativeIncidence(test.x(), causes[c], times)).mean(0)
                    .toDoubleVector();
            line(chart.addSeries("cause " + causes[c] + ": mean predicted", times, predicted)).setLineColor(color)
                    .setLineStyle(SeriesLines.DASH_DASH);
        }
        chart.getStyler().setYAxisMin(0.0);
        return chart;
    }

    private static XYChart trainingCurves(List<TrainingProgress> history, String monitored) {
        double[] epoch = new double[history.size()];
        double[] loss = new double[history.size()];
        double[] c = new double[history.size()];
        for (int i = 0; i < epoch.length; i++) {
            epoch[i] = history.get(i).epoch();
            loss[i] = history.get(i).loss();
            c[i] = history.get(i).validationConcordance();
        }
        XYChart chart = chart("Training", "epoch", "training loss");
        line(chart.addSeries("training loss", epoch, loss));
        if (Arrays.stream(c).noneMatch(Double::isNaN)) {
            XYSeries s = chart.addSeries((monitored.contains("cause") ? "C" : "Harrell's C") + " (" + monitored + ")",
                    epoch, c);
            line(s).setYAxisGroup(1);
            chart.setYAxisGroupTitle(1, "C-index");
            chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        }
        return chart;
    }

    private static XYChart calibration(SurvivalData test, double[] times, INDArray survival) {
        XYChart chart = chart("Kaplan-Meier vs mean predicted survival (" + test.name() + ")", "time",
                "survival probability");
        KaplanMeier km = KaplanMeier.fit(test.timeArray(), test.eventArray());
        chart.addSeries("Kaplan-Meier", times, kmAt(km, times)).setXYSeriesRenderStyle(XYSeriesRenderStyle.Step)
                .setMarker(SeriesMarkers.NONE);
        line(chart.addSeries("mean predicted", times, survival.mean(0).toDoubleVector()));
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        return chart;
    }

    private static XYChart riskGroups(SurvivalData test, double[] times, INDArray survival, double[] risk) {
        XYChart chart = chart("Survival by risk tertile (" + test.name() + ")", "time", "survival probability");
        int[] group = tertiles(risk);
        String[] names = {"low risk", "medium risk", "high risk"};
        Color[] colors = {new Color(0x1b9e77), new Color(0x7570b3), new Color(0xd95f02)};
        for (int g = 0; g < 3; g++) {
            int[] rows = rowsOf(group, g);
            SurvivalData part = test.rows(rows);
            KaplanMeier km = KaplanMeier.fit(part.timeArray(), part.eventArray());
            chart.addSeries(names[g] + " (n = " + rows.length + "), Kaplan-Meier", times, kmAt(km, times))
                    .setXYSeriesRenderStyle(XYSeriesRenderStyle.Step).setMarker(SeriesMarkers.NONE)
                    .setLineColor(colors[g]);
            double[] mean = new double[times.length];
            for (int row : rows) {
                for (int k = 0; k < times.length; k++) {
                    mean[k] += survival.getDouble(row, k) / rows.length;
                }
            }
            line(chart.addSeries(names[g] + ", predicted", times, mean)).setLineStyle(SeriesLines.DASH_DASH)
                    .setLineColor(colors[g]);
        }
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        return chart;
    }

    private static XYChart calibrationAtHorizon(ModelCalibration c, String data) {
        XYChart chart = chart("Calibration at t = " + Report.number(c.horizon()) + " (" + data + ")",
                "predicted risk by t", "observed risk by t");
        double top = Arrays.stream(c.predictedRisk()).max().orElse(1);
        if (c.curve().defined()) {
            CalibrationCurve curve = c.curve().value();
            line(chart.addSeries(String.format(Locale.ROOT, "smooth calibration curve (ICI %.4f)",
                    c.smooth().value().ici()), curve.predicted(), curve.observed())).setLineColor(SMOOTH);
            line(chart.addSeries("95 % pointwise band", curve.predicted(), curve.lower()))
                    .setLineStyle(SeriesLines.DASH_DASH).setLineColor(SMOOTH);
            line(chart.addSeries("band, upper", curve.predicted(), curve.upper())).setLineStyle(SeriesLines.DASH_DASH)
                    .setLineColor(SMOOTH).setShowInLegend(false);
            top = Math.max(top, Arrays.stream(curve.upper()).max().orElse(0));
        }
        if (c.grouped().defined()) {
            GroupedCalibration g = c.grouped().value();
            double[] observed = g.observedRisk();
            double[] halfWidth = Arrays.stream(g.observedVariance()).map(v -> Z_975 * Math.sqrt(v)).toArray();
            chart.addSeries(g.groups() + " groups of predicted risk, Kaplan-Meier with 95 % CI", g.meanPredictedRisk(),
                    observed, halfWidth).setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter)
                    .setMarker(SeriesMarkers.CIRCLE).setMarkerColor(GROUPS);
            for (int k = 0; k < observed.length; k++) {
                top = Math.max(top, observed[k] + halfWidth[k]);
            }
        }
        double end = Math.min(1, top * 1.05);
        line(chart.addSeries("perfect calibration", new double[] {0, end}, new double[] {0, end}))
                .setLineStyle(SeriesLines.DOT_DOT).setLineColor(Color.GRAY);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(end).setYAxisMin(0.0).setYAxisMax(end)
                .setXAxisDecimalPattern("0.00").setYAxisDecimalPattern("0.00").setErrorBarsColor(GROUPS);
        return chart;
    }

    private static CategoryChart importance(PermutationImportance vi, String data) {
        List<RepeatedEstimate> c = vi.importance(Metric.CONCORDANCE);
        List<String> names = new ArrayList<>();
        List<Double> mean = new ArrayList<>();
        List<Double> halfWidth = new ArrayList<>();
        for (int k : CalibrationReport.byImportance(vi)) {
            names.add(vi.groups().get(k).name());
            mean.add(c.get(k).mean());
            ConfidenceInterval ci = c.get(k).confidenceInterval(Report.ALPHA);
            halfWidth.add((ci.upper() - ci.lower()) / 2);
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Permutation importance (" + data + ")").xAxisTitle("feature")
                .yAxisTitle("loss of Harrell's C when permuted").build();
        chart.getStyler().setXAxisLabelRotation(names.size() > 8 ? 45 : 0).setYAxisDecimalPattern("0.000")
                .setErrorBarsColor(Color.DARK_GRAY);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setChartBackgroundColor(Color.WHITE);
        chart.addSeries("mean of " + c.get(0).values().length + " permutations, 95 % CI", names, mean, halfWidth)
                .setFillColor(SMOOTH);
        return chart;
    }

    /** 0, 1, 2 for the lower, middle and upper third of the risk scores. */
    static int[] tertiles(double[] risk) {
        Integer[] order = new Integer[risk.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(risk[a], risk[b]));
        int[] group = new int[risk.length];
        for (int rank = 0; rank < order.length; rank++) {
            group[order[rank]] = Math.min(2, 3 * rank / order.length);
        }
        return group;
    }

    private static int[] rowsOf(int[] group, int g) {
        return java.util.stream.IntStream.range(0, group.length).filter(i -> group[i] == g).toArray();
    }

    /** From 0 to the 90th percentile of the observed times, where the curves still rest on data. */
    private static double[] curveTimes(SurvivalData data) {
        double end = Quantiles.lower(data.time(), 0.9);
        double[] times = new double[CURVE_POINTS];
        for (int k = 0; k < times.length; k++) {
            times[k] = end * k / (times.length - 1);
        }
        return times;
    }

    private static double[] kmAt(KaplanMeier km, double[] times) {
        double[] s = new double[times.length];
        for (int k = 0; k < s.length; k++) {
            s[k] = km.survival(times[k]);
        }
        return s;
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y)
                .build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
        chart.getStyler().setXAxisDecimalPattern("#,##0").setLegendPosition(Styler.LegendPosition.OutsideS)
                .setChartBackgroundColor(Color.WHITE);
        return chart;
    }

    private static XYSeries line(XYSeries series) {
        series.setMarker(SeriesMarkers.NONE);
        return series;
    }

    /** Writes one chart drawn by {@link #draw} as a PNG file. */
    static void save(Chart<?, ?> chart, Path file) throws IOException {
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
    }
}
