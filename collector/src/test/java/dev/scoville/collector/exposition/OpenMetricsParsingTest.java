package dev.scoville.collector.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenMetricsParsingTest {
  private static final long NOW = 1_700_000_000_000L;

  static Exposition parse(String text) throws ExpositionException {
    return ExpositionParser.parse(
        text.getBytes(StandardCharsets.UTF_8), ExpositionFormat.OPENMETRICS_1_0_0, NOW);
  }

  @Test
  void readsCounterWithCreatedAndUnit() throws Exception {
    Exposition e =
        parse(
            """
            # TYPE shop_sent_bytes counter
            # UNIT shop_sent_bytes bytes
            # HELP shop_sent_bytes Bytes sent.
            shop_sent_bytes_total{shop="eu"} 17 1520879607.789
            shop_sent_bytes_created{shop="eu"} 1520430000.123
            # EOF
            """);

    assertThat(e.samples())
        .containsExactly(
            new Sample(
                Labels.of("__name__", "shop_sent_bytes_total", "shop", "eu"), 1520879607789L, 17),
            new Sample(
                Labels.of("__name__", "shop_sent_bytes_created", "shop", "eu"),
                NOW,
                1520430000.123));
    assertThat(e.metadata())
        .containsExactly(new MetricMetadata("shop_sent_bytes", "counter", "Bytes sent.", "bytes"));
  }

  @Test
  void convertsTimestampsInSecondsToExactMilliseconds() throws Exception {
    Exposition e =
        parse(
            """
            a 1 1520879607.789
            b 1 1520879607
            c 1 1520879607.7
            d 1 1520879607.78951
            f 1 1.5e3
            # EOF
            """);

    assertThat(e.samples())
        .extracting(Sample::timestampMillis)
        .containsExactly(1520879607789L, 1520879607000L, 1520879607700L, 1520879607789L, 1500000L);
  }

  @Test
  void readsExemplarsWithAndWithoutTimestamp() throws Exception {
    Exposition e =
        parse(
            """
            # TYPE checkout_seconds histogram
            checkout_seconds_bucket{le="0.5"} 3 # {trace_id="abc"} 0.43 1520879607.789
            checkout_seconds_bucket{le="+Inf"} 5 1520879608 # {trace_id="def",span_id="1"} 7.5
            checkout_seconds_sum 9.1
            checkout_seconds_count 5
            # EOF
            """);

    assertThat(e.samples()).hasSize(4);
    assertThat(e.samples().get(1).timestampMillis()).isEqualTo(1520879608000L);
    assertThat(e.exemplars())
        .containsExactly(
            new Exemplar(
                Labels.of("__name__", "checkout_seconds_bucket", "le", "0.5"),
                Labels.of("trace_id", "abc"),
                0.43,
                1520879607789L),
            new Exemplar(
                Labels.of("__name__", "checkout_seconds_bucket", "le", "+Inf"),
                Labels.of("span_id", "1", "trace_id", "def"),
                7.5,
                Exemplar.NO_TIMESTAMP));
    assertThat(e.exemplars().get(1).hasTimestamp()).isFalse();
  }

  @Test
  void readsEveryOpenMetricsType() throws Exception {
    Exposition e =
        parse(
            """
            # TYPE a gauge
            # TYPE b info
            b_info{version="1.2"} 1
            # TYPE c stateset
            c{c="open"} 1
            c{c="closed"} 0
            # TYPE d gaugehistogram
            d_bucket{le="+Inf"} 2
            d_gcount 2
            d_gsum 4
            # TYPE e summary
            e{quantile="0.9"} 1
            # TYPE f unknown
            f 1
            # EOF
            """);

    assertThat(e.metadata())
        .extracting(MetricMetadata::type)
        .containsExactly("gauge", "info", "stateset", "gaugehistogram", "summary", "unknown");
    assertThat(e.samples()).hasSize(8);
  }

  @Test
  void unescapesQuotesInHelp() throws Exception {
    Exposition e = parse("# HELP m Say \\\"hi\\\"\\nC:\\\\\nm 1\n# EOF\n");

    assertThat(e.metadata().get(0).help()).isEqualTo("Say \"hi\"\nC:\\");
  }

  @Test
  void acceptsEofWithoutFinalNewline() throws Exception {
    assertThat(parse("m 1\n# EOF").samples()).hasSize(1);
  }

  @Test
  void acceptsAnExpositionWithOnlyEof() throws Exception {
    assertThat(parse("# EOF\n").samples()).isEmpty();
  }

  @Test
  void readsSpecialValuesAndSortsLabels() throws Exception {
    Exposition e = parse("m{z=\"1\",a=\"2\"} +Inf\nn NaN\n# EOF\n");

    assertThat(e.samples().get(0).labels().names()).containsExactly("__name__", "a", "z");
    assertThat(e.samples().get(0).value()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(e.samples().get(1).value()).isNaN();
  }
}
