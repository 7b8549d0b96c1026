package dev.scoville.collector.exposition;

import java.util.Objects;

/**
 * What the HELP, TYPE and UNIT lines say about one metric family. A family without a TYPE line is
 * {@code untyped} (text format) or {@code unknown} (OpenMetrics); a missing help or unit is empty.
 *
 * @param type counter, gauge, histogram, summary, untyped, unknown, info, stateset or
 *     gaugehistogram
 */
public record MetricMetadata(String family, String type, String help, String unit) {
  public MetricMetadata {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(help, "help");
    Objects.requireNonNull(unit, "unit");
  }
}
