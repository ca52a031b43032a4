package org.wgan.examples.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line charts for the demos and the training plots, written as PNG through XChart. */
public final class Charts {

    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final Map<String, double[][]> series = new LinkedHashMap<>();
    private boolean logY;

    /** A chart with this title and these axis titles, no lines yet. */
    public Charts(String title, String xTitle, String yTitle) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
    }

    /** Adds a line through the points {@code (xs[i], ys[i])}. */
    public Charts line(String name, double[] xs, double[] ys) {
        series.put(name, new double[][] {xs.clone(), ys.clone()});
        return this;
    }

    /** A logarithmic y axis. */
    public Charts logY() {
        this.logY = true;
        return this;
    }

    /** Writes the chart as an 800x500 PNG, creating the folder if needed. */
    public void write(Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setXAxisTickMarkSpacingHint(150);
        chart.getStyler().setXAxisDecimalPattern("#.##");
        for (Map.Entry<String, double[][]> entry : series.entrySet()) {
            XYSeries line = chart.addSeries(entry.getKey(), entry.getValue()[0], entry.getValue()[1]);
            line.setMarker(SeriesMarkers.NONE);
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
