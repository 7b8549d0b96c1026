package dev.scoville.collector.exposition;

import java.util.Locale;

/** The two text formats a target may answer a scrape with. */
public enum ExpositionFormat {
  TEXT_0_0_4,
  OPENMETRICS_1_0_0;

  /**
   * As Prometheus: {@code application/openmetrics-text} is OpenMetrics; anything else (text/plain,
   * missing, unknown) is read as the classic text format, the one every exporter can write.
   */
  public static ExpositionFormat fromContentType(String contentType) {
    if (contentType == null) {
      return TEXT_0_0_4;
    }
    int semicolon = contentType.indexOf(';');
    String mediaType = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return mediaType.trim().toLowerCase(Locale.ROOT).equals("application/openmetrics-text")
        ? OPENMETRICS_1_0_0
        : TEXT_0_0_4;
  }
}
