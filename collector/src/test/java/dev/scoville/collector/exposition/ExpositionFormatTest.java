package dev.scoville.collector.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExpositionFormatTest {

  @Test
  void choosesOpenMetricsOnlyForItsMediaType() {
    assertThat(
            ExpositionFormat.fromContentType(
                "application/openmetrics-text; version=1.0.0; charset=utf-8"))
        .isEqualTo(ExpositionFormat.OPENMETRICS_1_0_0);
    assertThat(ExpositionFormat.fromContentType("Application/OpenMetrics-Text"))
        .isEqualTo(ExpositionFormat.OPENMETRICS_1_0_0);
  }

  @Test
  void fallsBackToTheTextFormatForEverythingElse() {
    assertThat(ExpositionFormat.fromContentType("text/plain; version=0.0.4; charset=utf-8"))
        .isEqualTo(ExpositionFormat.TEXT_0_0_4);
    assertThat(ExpositionFormat.fromContentType(null)).isEqualTo(ExpositionFormat.TEXT_0_0_4);
    assertThat(ExpositionFormat.fromContentType("")).isEqualTo(ExpositionFormat.TEXT_0_0_4);
    assertThat(ExpositionFormat.fromContentType("application/json"))
        .isEqualTo(ExpositionFormat.TEXT_0_0_4);
  }
}
