package org.survival4j.examples.study;

import org.survival4j.examples.train.TrainingSettings.LossKind;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The study's figure: mean test C-index (± one standard deviation over seeds) against the batch
 * size on a log axis, one panel per dataset and metric (Harrell's C on the top row, Uno's C below).
 * Plain Cox is a line through batch 8, 16, 32, 64 and the full batch (plotted at the training-set
 * size); each momentum setting (by default steps and rate) and each gradient-cache step size is a short line
 * through its (micro-)batch sizes, nudged sideways so that the error bars do not overlap; the Weibull arms are single points at batch 16.
 */
final class StudyPlot {
    private static final int PANEL_WIDTH = 760;
    private static final int PANEL_HEIGHT = 420;

    private StudyPlot() {
    }

    static void write(Path png, List<ArmSummary> summaries, Function<StudyArm, String> momentumSeries) {
        Map<String, List<ArmSummary>> byDataset = new LinkedHashMap<>();
        summaries.forEach(s -> byDataset.computeIfAbsent(s.dataset(), d -> new ArrayList<>()).add(s));
        List<XYChart> charts = new ArrayList<>();
        for (String metric : List.of("Harrell's C", "Uno's C")) {
            Function<ArmSummary, Spread> pick = metric.startsWith("Harrell") ? ArmSummary::harrell : ArmSummary::uno;
            byDataset.forEach((dataset, rows) -> charts.add(chart(dataset, metric, rows, pick, momentumSeries)));
        }
        try {
            BitmapEncoder.saveBitmap(charts, 2, Math.max(1, byDataset.size()), png.toString(),
                    BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }

    private static XYChart chart(String dataset, String metric, List<ArmSummary> rows,
                                 Function<ArmSummary, Spread> pick, Function<StudyArm, String> momentumSeries) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(dataset)
                .xAxisTitle("batch size (log scale; rightmost = full batch)").yAxisTitle("test " + metric).build();
        Styler styler = chart.getStyler();
        chart.getStyler().setXAxisLogarithmic(true);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setLegendFont(styler.getLegendFont().deriveFont(9f));
        styler.setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("#");

        add(chart, "plain Cox", rows.stream().filter(s -> s.arm().likelihood() == LossKind.COX
                && !s.arm().momentum() && !s.arm().cached()).toList(), pick, 1.0, true);
        // one short line per momentum setting and per gradient-cache step size, through its batch sizes
        Map<String, List<ArmSummary>> momentum = new LinkedHashMap<>();
        rows.stream().filter(s -> s.arm().likelihood() == LossKind.COX && (s.arm().momentum() || s.arm().cached()))
                .forEach(s -> momentum.computeIfAbsent(s.arm().momentum() ? momentumSeries.apply(s.arm())
                        : "gradient cache, steps of " + s.batchSize() * s.arm().microBatches() + " rows",
                        k -> new ArrayList<>()).add(s));
        int k = 0;
        for (Map.Entry<String, List<ArmSummary>> setting : momentum.entrySet()) {
            double nudge = 1.0 + 0.035 * (k - (momentum.size() - 1) / 2.0);
            add(chart, setting.getKey(), setting.getValue(), pick, nudge, false);
            k++;
        }
        for (ArmSummary s : rows) {
            if (s.arm().likelihood() == LossKind.WEIBULL) {
                XYSeries point = add(chart, s.arm().momentum() ? "Weibull, momentum" : "Weibull", List.of(s),
                        pick, s.arm().momentum() ? 1.12 : 0.88, false);
                if (point != null) { // single points: a distinct shape and dark colours, or they vanish
                    point.setMarker(SeriesMarkers.DIAMOND);
                    point.setMarkerColor(s.arm().momentum() ? new Color(0, 110, 160) : new Color(120, 60, 0));
                    point.setLineColor(point.getMarkerColor());
                }
            }
        }
        return chart;
    }

    private static XYSeries add(XYChart chart, String name, List<ArmSummary> rows, Function<ArmSummary, Spread> pick,
                            double nudge, boolean thick) {
        List<ArmSummary> finite = rows.stream().filter(s -> pick.apply(s).n() > 0).toList();
        if (finite.isEmpty()) {
            return null;
        }
        double[] x = new double[finite.size()];
        double[] y = new double[finite.size()];
        double[] err = new double[finite.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = finite.get(i).batchSize() * nudge;
            y[i] = pick.apply(finite.get(i)).mean();
            err[i] = pick.apply(finite.get(i)).sd();
        }
        XYSeries series = chart.addSeries(name, x, y, err);
        series.setMarker(SeriesMarkers.CIRCLE);
        if (thick) {
            series.setLineColor(Color.BLACK);
            series.setMarkerColor(Color.BLACK);
            series.setLineStyle(new BasicStroke(2.5f));
        }
        return series;
    }
}
