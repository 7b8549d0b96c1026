package dev.scoville.rules.promql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** φ-quantiles of plain values and of classic histogram buckets, as Prometheus computes them. */
final class Quantiles {
  private Quantiles() {}

  record Bucket(double upperBound, double count) {}

  /** Linear interpolation between the two nearest ranks. */
  static double quantile(double q, double[] values) {
    if (values.length == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double rank = q * (sorted.length - 1);
    int lower = (int) Math.max(0, Math.floor(rank));
    int upper = Math.min(sorted.length - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return sorted[lower] * (1 - weight) + sorted[upper] * weight;
  }

  /**
   * Prometheus's {@code bucketQuantile}: finds the bucket holding rank q·count and interpolates
   * linearly inside it, assuming observations spread evenly. A quantile in the +Inf bucket is
   * answered with the largest finite bound; without a +Inf bucket there is no answer (NaN).
   */
  static double bucketQuantile(double q, List<Bucket> unsorted) {
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    List<Bucket> buckets = coalesced(unsorted);
    if (buckets.get(buckets.size() - 1).upperBound() != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    if (buckets.size() < 2) {
      return Double.NaN;
    }
    double observations = buckets.get(buckets.size() - 1).count();
    if (observations == 0) {
      return Double.NaN;
    }
    double rank = q * observations;
    int b = 0;
    while (b < buckets.size() - 1 && buckets.get(b).count() < rank) {
      b++;
    }
    if (b == buckets.size() - 1) {
      return buckets.get(buckets.size() - 2).upperBound();
    }
    if (b == 0 && buckets.get(0).upperBound() <= 0) {
      return buckets.get(0).upperBound();
    }
    double bucketStart = 0;
    double bucketEnd = buckets.get(b).upperBound();
    double count = buckets.get(b).count();
    if (b > 0) {
      bucketStart = buckets.get(b - 1).upperBound();
      count -= buckets.get(b - 1).count();
      rank -= buckets.get(b - 1).count();
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / count);
  }

  /**
   * Sorted by bound, duplicates of a bound summed, and counts made monotonic as Prometheus's {@code
   * ensureMonotonicAndIgnoreSmallDeltas} does: summed rates differ by float noise, and scrapes are
   * not atomic, so a bucket may show fewer observations than the one below it.
   */
  private static List<Bucket> coalesced(List<Bucket> unsorted) {
    List<Bucket> sorted = new ArrayList<>(unsorted);
    sorted.sort(Comparator.comparingDouble(Bucket::upperBound));
    List<Bucket> out = new ArrayList<>();
    for (Bucket b : sorted) {
      if (!out.isEmpty() && out.get(out.size() - 1).upperBound() == b.upperBound()) {
        Bucket last = out.remove(out.size() - 1);
        out.add(new Bucket(b.upperBound(), last.count() + b.count()));
      } else {
        out.add(b);
      }
    }
    double previous = out.get(0).count();
    for (int i = 1; i < out.size(); i++) {
      double current = out.get(i).count();
      if (current != previous && (almostEqual(previous, current) || current < previous)) {
        out.set(i, new Bucket(out.get(i).upperBound(), previous));
      } else {
        previous = current;
      }
    }
    return out;
  }

  /** Relative difference below 1e-12, Prometheus's tolerance for bucket counts. */
  private static boolean almostEqual(double a, double b) {
    double epsilon = 1e-12;
    double diff = Math.abs(a - b);
    double absSum = Math.abs(a) + Math.abs(b);
    if (a == 0 || b == 0 || absSum < Double.MIN_NORMAL) {
      return diff < epsilon * Double.MIN_NORMAL;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < epsilon;
  }
}
