package dev.scoville.collector.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Payloads written by real exporters. node_exporter.txt: Debian's prometheus-node-exporter 1.5 with
 * a textfile collector file holding a histogram and an escaped label, which the exporter re-wrote
 * with its own escaping; node_exporter.om.txt: the same payload re-written as OpenMetrics by the
 * Python client 0.16 (node_exporter 1.5 answers OpenMetrics requests with text);
 * prometheus_server.txt: Prometheus 2.42's own /metrics. Expected counts come from the Python
 * client's parser (515, 515, 271) and agree with counting the non-comment lines.
 */
class RealExporterPayloadTest {
  private static final long NOW = 1_700_000_000_000L;

  private static byte[] resource(String name) {
    try (InputStream in =
        RealExporterPayloadTest.class.getResourceAsStream("/exposition/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long sampleLines(byte[] body) {
    return new String(body, StandardCharsets.UTF_8)
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .count();
  }

  @Test
  void readsEveryNodeExporterSample() throws Exception {
    byte[] body = resource("node_exporter.txt");

    Exposition e = ExpositionParser.parse(body, ExpositionFormat.TEXT_0_0_4, NOW);

    assertThat(e.samples()).hasSize(515).hasSize((int) sampleLines(body));
    assertThat(e.metadata()).hasSize(286);
    assertThat(e.samples())
        .contains(
            new Sample(
                Labels.of("__name__", "shop_checkout_duration_seconds_bucket", "le", "0.25"),
                NOW,
                8));
    assertThat(e.samples())
        .filteredOn(s -> "shop_page_errors_total".equals(s.labels().metricName()))
        .singleElement()
        .satisfies(s -> assertThat(s.labels().get("page")).isEqualTo("C:\\shop\\\"cart\"\nline2"));
    assertThat(e.metadata())
        .contains(
            new MetricMetadata(
                "shop_checkout_duration_seconds",
                "histogram",
                "Checkout duration.\nMeasured at the \"pay\" button, C:\\ style path.",
                ""));
    assertThat(e.metadata())
        .contains(
            new MetricMetadata(
                "go_gc_duration_seconds",
                "summary",
                "A summary of the pause duration of garbage collection cycles.",
                ""));
  }

  @Test
  void readsTheSamePayloadAsOpenMetrics() throws Exception {
    Exposition text =
        ExpositionParser.parse(resource("node_exporter.txt"), ExpositionFormat.TEXT_0_0_4, NOW);

    Exposition om =
        ExpositionParser.parse(
            resource("node_exporter.om.txt"), ExpositionFormat.OPENMETRICS_1_0_0, NOW);

    assertThat(om.samples()).hasSize(515);
    assertThat(om.samples()).isEqualTo(text.samples());
    assertThat(
            om.samples().stream()
                .filter(s -> "shop_page_errors_total".equals(s.labels().metricName()))
                .findFirst())
        .hasValueSatisfying(
            s -> assertThat(s.labels().get("page")).isEqualTo("C:\\shop\\\"cart\"\nline2"));
    assertThat(om.metadata())
        .contains(
            new MetricMetadata(
                "shop_checkout_duration_seconds",
                "histogram",
                "Checkout duration.\nMeasured at the \"pay\" button, C:\\ style path.",
                ""));
  }

  @Test
  void readsPrometheusServerHistograms() throws Exception {
    byte[] body = resource("prometheus_server.txt");

    Exposition e = ExpositionParser.parse(body, ExpositionFormat.TEXT_0_0_4, NOW);

    assertThat(e.samples()).hasSize(271).hasSize((int) sampleLines(body));
    assertThat(e.samples())
        .contains(
            new Sample(
                Labels.of(
                    "__name__",
                    "prometheus_tsdb_compaction_chunk_range_seconds_bucket",
                    "le",
                    "+Inf"),
                NOW,
                0));
    assertThat(e.samples())
        .filteredOn(s -> s.labels().metricName().endsWith("_bucket"))
        .hasSize(64);
  }
}
