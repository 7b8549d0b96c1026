package dev.scoville.reports;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Customer feedback over a window: how many, the mean score and its trend, the pages or topics
 * scored lowest, and the most recent low-score comments. Immutable.
 *
 * @param mean null without feedback
 * @param low how many scored {@value #LOW} or less
 * @param bucket the width of each point of the trend
 */
public record FeedbackSummary(int count, Double mean, int low, Duration bucket, List<TrendPoint> trend,
    List<Subject> lowest, List<Feedback> comments) {
  /** Scores up to this one are "not satisfied", as customer satisfaction (CSAT) counts 4 and 5 as satisfied. */
  public static final int LOW = 3;
  static final int SUBJECTS = 10;
  static final int COMMENTS = 10;
  private static final int MAX_POINTS = 24;
  private static final List<Duration> BUCKETS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
      Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(6),
      Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(7));

  public FeedbackSummary {
    trend = List.copyOf(trend);
    lowest = List.copyOf(lowest);
    comments = List.copyOf(comments);
  }

  /** One point of the trend: the feedback given in {@code [from, from + bucket)}; mean null when none. */
  public record TrendPoint(Instant from, int count, Double mean) {}

  /** A page or topic ({@link Feedback#subject()}), how often it was scored and its mean score. */
  public record Subject(String name, int count, double mean) {}

  /** The share of the window's feedback scored {@value #LOW} or less; null without feedback. */
  public Double lowShare() {
    return count == 0 ? null : (double) low / count;
  }

  /** The trend's width for a window: the narrowest of 1 min, 5 min, 15 min, … that needs at most 24 points. */
  static Duration bucket(Instant from, Instant to) {
    Duration window = Duration.between(from, to);
    for (Duration b : BUCKETS) {
      if (points(window, b) <= MAX_POINTS) {
        return b;
      }
    }
    return BUCKETS.get(BUCKETS.size() - 1);
  }

  private static long points(Duration window, Duration bucket) {
    return (window.toMillis() + bucket.toMillis() - 1) / bucket.toMillis();
  }

  /** Adds up feedback one at a time, so that a long window's rows need not be held at once. */
  static final class Tally {
    private final Instant from;
    private final Duration bucket;
    private final long[] counts;
    private final long[] sums;
    private final Map<String, long[]> subjects = new HashMap<>();
    private int count;
    private long sum;
    private int low;

    Tally(Instant from, Instant to) {
      this.from = from;
      this.bucket = bucket(from, to);
      int points = (int) points(Duration.between(from, to), bucket);
      counts = new long[points];
      sums = new long[points];
    }

    /** One feedback of the window. */
    void add(Instant at, int score, String subject) {
      int i = (int) (Duration.between(from, at).toMillis() / bucket.toMillis());
      if (i < 0 || i >= counts.length) {
        return;
      }
      counts[i]++;
      sums[i] += score;
      long[] s = subjects.computeIfAbsent(subject, k -> new long[2]);
      s[0]++;
      s[1] += score;
      count++;
      sum += score;
      if (score <= LOW) {
        low++;
      }
    }

    /** The summary, with {@code comments} (the newest low-score ones, newest first) as they are. */
    FeedbackSummary summary(List<Feedback> comments) {
      List<TrendPoint> trend = new ArrayList<>(counts.length);
      for (int i = 0; i < counts.length; i++) {
        trend.add(new TrendPoint(from.plus(bucket.multipliedBy(i)), (int) counts[i],
            counts[i] == 0 ? null : (double) sums[i] / counts[i]));
      }
      List<Subject> lowest = subjects.entrySet().stream()
          .map(e -> new Subject(e.getKey(), (int) e.getValue()[0], (double) e.getValue()[1] / e.getValue()[0]))
          .sorted(Comparator.comparingDouble(Subject::mean).thenComparing(Comparator.comparingInt(Subject::count)
              .reversed()).thenComparing(Subject::name))
          .limit(SUBJECTS).toList();
      return new FeedbackSummary(count, count == 0 ? null : (double) sum / count, low, bucket, trend, lowest, comments);
    }
  }
}
