package dev.scoville.collector.exposition;

/**
 * Parses Prometheus text format 0.0.4 and OpenMetrics 1.0 expositions straight from the bytes of a
 * scrape, as Prometheus's own parser reads them.
 */
public final class ExpositionParser {
  private ExpositionParser() {}

  /**
   * Parses a whole exposition. Samples without a timestamp get {@code defaultTimestampMillis}.
   * Throws, and returns nothing, on the first error: nothing half-parsed.
   */
  public static Exposition parse(byte[] body, ExpositionFormat format, long defaultTimestampMillis)
      throws ExpositionException {
    return new ExpositionReader(
            body, format == ExpositionFormat.OPENMETRICS_1_0_0, defaultTimestampMillis)
        .read();
  }
}
