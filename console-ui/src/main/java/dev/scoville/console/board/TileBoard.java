package dev.scoville.console.board;

import dev.scoville.core.Labels;
import dev.scoville.core.SeriesReader;
import dev.scoville.core.ValueFormat;
import dev.scoville.rules.promql.PromQlEvaluationException;
import dev.scoville.rules.promql.VectorSample;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads every tile through the query engine. A chart's settled points are evaluated once, at
 * aligned steps, and kept; each reading evaluates only the live instant and the steps that settled
 * since. Not thread-safe: one thread reads the board and hands out the immutable readings.
 */
public final class TileBoard {
  private static final int POINTS = 120;

  private final List<Tile> tiles;
  private final SeriesReader store;
  private final long windowMillis;
  private final long stepMillis;
  private final long staleAfterMillis;
  private final List<Deque<Point>> settled = new ArrayList<>();

  public TileBoard(List<Tile> tiles, SeriesReader store, Duration window, Duration staleAfter) {
    this.tiles = List.copyOf(tiles);
    this.store = store;
    this.windowMillis = window.toMillis();
    this.stepMillis = Math.max(1000, window.toMillis() / POINTS / 1000 * 1000);
    this.staleAfterMillis = staleAfter.toMillis();
    tiles.forEach(t -> settled.add(new ArrayDeque<>()));
  }

  /** Whether a tile reads any of {@code metricNames} (a tile that names no fixed metric reads all). */
  public boolean reads(Set<String> metricNames) {
    for (Tile tile : tiles) {
      Set<String> read = tile.query().metricNames();
      if (read.isEmpty() || metricNames.stream().anyMatch(read::contains)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Every tile at {@code now}, in configuration order.
   *
   * @param ruleFiring whether a rule has an open incident, for tiles that mirror a rule
   */
  public List<TileReading> read(long now, Predicate<String> ruleFiring) {
    List<TileReading> readings = new ArrayList<>(tiles.size());
    for (int i = 0; i < tiles.size(); i++) {
      readings.add(read(tiles.get(i), settled.get(i), now, ruleFiring));
    }
    return readings;
  }

  private TileReading read(Tile tile, Deque<Point> points, long now, Predicate<String> ruleFiring) {
    settle(tile, points, now);
    FreshnessReader reader = new FreshnessReader(store);
    List<VectorSample> samples;
    String failure = null;
    try {
      samples = tile.query().evaluate(reader, now);
    } catch (PromQlEvaluationException e) {
      samples = List.of();
      failure = e.getMessage();
    }
    List<TileReading.Value> values = new ArrayList<>();
    for (VectorSample s : samples) {
      if (!Double.isNaN(s.value())) {
        values.add(new TileReading.Value(name(tile, s.labels(), samples.size()), s.value()));
      }
    }
    Point live = new Point(now, samples);
    Trend trend = trend(tile, points, live);
    String unit = tile.config().unit();
    String rule = tile.config().rule();
    if (rule != null && ruleFiring.test(rule)) {
      return new TileReading(tile, TileState.FIRING, rule + " is firing", values, trend);
    }
    if (failure != null) {
      return new TileReading(tile, TileState.NO_DATA, "the expression failed: " + failure, values, trend);
    }
    if (values.isEmpty()) {
      return new TileReading(tile, TileState.NO_DATA, "no series answers the expression", values, trend);
    }
    long age = now - reader.newest();
    if (reader.newest() != Long.MIN_VALUE && age > staleAfterMillis) {
      return new TileReading(tile, TileState.STALE, "newest sample " + Duration.ofMillis(age).toSeconds() + " s old",
          values, trend);
    }
    if (tile.firing() != null && values.stream().anyMatch(v -> tile.firing().crossedBy(v.value()))) {
      return new TileReading(tile, TileState.FIRING, describe(tile.firing(), unit), values, trend);
    }
    if (tile.warning() != null && values.stream().anyMatch(v -> tile.warning().crossedBy(v.value()))) {
      return new TileReading(tile, TileState.WARNING, describe(tile.warning(), unit), values, trend);
    }
    return new TileReading(tile, TileState.OK, "within thresholds", values, trend);
  }

  private static String describe(Threshold threshold, String unit) {
    return threshold.operator() + " " + ValueFormat.format(threshold.value(), unit);
  }

  /** Evaluates the steps that settled since the last reading and forgets those out of the window. */
  private void settle(Tile tile, Deque<Point> points, long now) {
    long newestSettled = now / stepMillis * stepMillis;
    long next = points.isEmpty() ? newestSettled - windowMillis + stepMillis : points.peekLast().time() + stepMillis;
    for (long t = Math.max(next, newestSettled - windowMillis + stepMillis); t <= newestSettled; t += stepMillis) {
      List<VectorSample> samples;
      try {
        samples = tile.query().evaluate(store, t);
      } catch (PromQlEvaluationException e) {
        samples = List.of();
      }
      points.addLast(new Point(t, samples));
    }
    while (!points.isEmpty() && points.peekFirst().time() <= newestSettled - windowMillis) {
      points.removeFirst();
    }
  }

  private Trend trend(Tile tile, Deque<Point> points, Point live) {
    Set<String> names = new LinkedHashSet<>();
    int n = points.size() + 1;
    List<Point> all = new ArrayList<>(points);
    all.add(live);
    for (Point p : all) {
      p.samples().forEach(s -> names.add(name(tile, s.labels(), p.samples().size())));
    }
    long[] times = new long[n];
    List<Trend.Line> lines = new ArrayList<>(names.size());
    List<String> order = new ArrayList<>(names);
    double[][] values = new double[order.size()][n];
    for (double[] v : values) {
      Arrays.fill(v, Double.NaN);
    }
    for (int i = 0; i < n; i++) {
      Point p = all.get(i);
      times[i] = p.time();
      for (VectorSample s : p.samples()) {
        values[order.indexOf(name(tile, s.labels(), p.samples().size()))][i] = s.value();
      }
    }
    for (int i = 0; i < order.size(); i++) {
      lines.add(new Trend.Line(order.get(i), values[i]));
    }
    return new Trend(stepMillis, times, lines, n - 1);
  }

  /** What a series is called on the tile: the legend label, else its label values, else nothing. */
  private static String name(Tile tile, Labels labels, int seriesCount) {
    String legend = tile.config().legend();
    if (legend != null) {
      String value = labels.get(legend);
      return value == null ? "" : value;
    }
    if (seriesCount <= 1) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      if (!labels.name(i).equals(Labels.METRIC_NAME)) {
        parts.add(labels.value(i));
      }
    }
    return String.join(" · ", parts);
  }

  private record Point(long time, List<VectorSample> samples) {}
}
