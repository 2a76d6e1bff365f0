package org.survival4j.examples.cli;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.survival4j.examples.train.ModelEvaluation;
import org.survival4j.examples.train.Quantiles;
import org.survival4j.examples.train.SurvivalData;
import org.survival4j.examples.train.TrainedModel;
import org.survival4j.examples.train.TrainingProgress;
import org.survival4j.metrics.KaplanMeier;

/**
 * The three PNG pictures of a training run, drawn with XChart (headless).
 *
 * <ul>
 *   <li>{@code training-curves.png}: training loss and the monitored C-index per epoch;</li>
 *   <li>{@code km-vs-predicted.png}: the Kaplan-Meier curve of the test data and the mean of the
 *       model's predicted survival curves (calibration in the large);</li>
 *   <li>{@code risk-groups.png}: the test rows cut into tertiles of predicted risk, each with its
 *       Kaplan-Meier curve (steps) and its mean predicted curve (dashed).</li>
 * </ul>
 */
final class Plots {
    static final String TRAINING = "training-curves.png";
    static final String CALIBRATION = "km-vs-predicted.png";
    static final String RISK_GROUPS = "risk-groups.png";
    private static final int WIDTH = 800;
    private static final int HEIGHT = 600;
    private static final int CURVE_POINTS = 100;

    private Plots() {
    }

    /**
     * Draws all three pictures in memory, keyed by file name ({@link #TRAINING},
     * {@link #CALIBRATION}, {@link #RISK_GROUPS}); {@link #save} writes them.
     *
     * @param test at least {@link ModelEvaluation#MIN_ROWS} rows
     */
    static Map<String, XYChart> draw(TrainedModel model, SurvivalData test, String monitored) {
        System.setProperty("java.awt.headless", "true");
        Map<String, XYChart> charts = new LinkedHashMap<>();
        charts.put(TRAINING, trainingCurves(model.history(), monitored));
        double[] times = curveTimes(test);
        INDArray survival = Nd4j.createFromArray(model.survivalModel().survival(test.x(), times));
        charts.put(CALIBRATION, calibration(test, times, survival));
        charts.put(RISK_GROUPS, riskGroups(test, times, survival, model.survivalModel().risk(test.x())));
        return charts;
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
            XYSeries s = chart.addSeries("Harrell's C (" + monitored + ")", epoch, c);
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
    static void save(XYChart chart, Path file) throws IOException {
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
    }
}
