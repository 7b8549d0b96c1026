package dev.scoville.reports;

import dev.scoville.core.SeriesReader;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.data.time.FixedMillisecond;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/** Charts of a measure or of the feedback score over the window, as PNG images drawn from the real data. */
final class ReportCharts {
  private static final int POINTS = 120;
  private static final Duration WEEK = Duration.ofDays(7);

  private ReportCharts() {}

  /** The measure over the window, the same window a week earlier laid over it, and the plan as a line. */
  static byte[] measure(Measure measure, SeriesReader series, Instant from, Instant to) {
    TimeSeries now = new TimeSeries("this peak");
    TimeSeries before = new TimeSeries("a week earlier");
    TimeSeries plan = new TimeSeries("plan");
    long step = Math.max(1000, Duration.between(from, to).toMillis() / POINTS);
    for (long t = from.toEpochMilli() + step; t <= to.toEpochMilli(); t += step) {
      add(now, t, PostPeakReport.meanAt(measure.query(), series, t));
      add(before, t, PostPeakReport.meanAt(measure.query(), series, t - WEEK.toMillis()));
      add(plan, t, measure.expected());
    }
    TimeSeriesCollection data = new TimeSeriesCollection(now);
    if (!before.isEmpty()) {
      data.addSeries(before);
    }
    // a series rather than a marker, so that the axis reaches it
    if (!plan.isEmpty()) {
      data.addSeries(plan);
    }
    return png(ChartFactory.createTimeSeriesChart(measure.name(), null, measure.unit(), data, true, false, false));
  }

  /** The mean feedback score of each point of the trend, on the 1 to 5 scale; points without feedback left out. */
  static byte[] feedbackTrend(FeedbackSummary feedback) {
    TimeSeries mean = new TimeSeries("mean score");
    for (FeedbackSummary.TrendPoint p : feedback.trend()) {
      add(mean, p.from().toEpochMilli(), p.mean());
    }
    JFreeChart chart = ChartFactory.createTimeSeriesChart("Feedback score", null, "/5", new TimeSeriesCollection(mean),
        true, false, false);
    chart.getXYPlot().getRangeAxis().setRange(1, 5);
    return png(chart);
  }

  private static byte[] png(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getXYPlot().setBackgroundPaint(Color.WHITE);
    chart.getXYPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
    chart.getXYPlot().setDomainGridlinePaint(Color.LIGHT_GRAY);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ChartUtils.writeChartAsPNG(png, chart, 900, 280);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return png.toByteArray();
  }

  private static void add(TimeSeries series, long t, Double v) {
    if (v != null) {
      series.addOrUpdate(new FixedMillisecond(new Date(t)), v);
    }
  }

}
