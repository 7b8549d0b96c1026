package dev.scoville.collector.exposition;

import dev.scoville.core.Labels;

/**
 * An OpenMetrics exemplar: a sample (typically a trace) attached to one sample of a series.
 *
 * @param series the labels of the sample the exemplar was written on
 * @param timestampMillis the exemplar's own timestamp, or {@link #NO_TIMESTAMP} when absent
 */
public record Exemplar(Labels series, Labels labels, double value, long timestampMillis) {
  public static final long NO_TIMESTAMP = Long.MIN_VALUE;

  public boolean hasTimestamp() {
    return timestampMillis != NO_TIMESTAMP;
  }
}
