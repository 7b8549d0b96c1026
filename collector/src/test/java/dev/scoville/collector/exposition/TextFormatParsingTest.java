package dev.scoville.collector.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextFormatParsingTest {
  private static final long NOW = 1_700_000_000_000L;

  static Exposition parse(String text) throws ExpositionException {
    return ExpositionParser.parse(
        text.getBytes(StandardCharsets.UTF_8), ExpositionFormat.TEXT_0_0_4, NOW);
  }

  @Test
  void readsCounterWithHelpAndType() throws Exception {
    Exposition e =
        parse(
            """
            # HELP http_requests_total The total number of HTTP requests.
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="400"}    3 1395066363000
            """);

    assertThat(e.samples())
        .containsExactly(
            new Sample(
                Labels.of("__name__", "http_requests_total", "method", "post", "code", "200"),
                1395066363000L,
                1027),
            new Sample(
                Labels.of("__name__", "http_requests_total", "method", "post", "code", "400"),
                1395066363000L,
                3));
    assertThat(e.metadata())
        .containsExactly(
            new MetricMetadata(
                "http_requests_total", "counter", "The total number of HTTP requests.", ""));
    assertThat(e.exemplars()).isEmpty();
  }

  @Test
  void givesTheDefaultTimestampToSamplesWithoutOne() throws Exception {
    Exposition e = parse("temperature_celsius 21.5\n");

    assertThat(e.samples())
        .containsExactly(new Sample(Labels.of("__name__", "temperature_celsius"), NOW, 21.5));
  }

  @Test
  void readsGaugeWithNegativeAndExponentValues() throws Exception {
    Exposition e =
        parse(
            """
            # TYPE g gauge
            g{k="a"} -3.25
            g{k="b"} 1.5e-3
            g{k="c"} 6.02E23
            g{k="d"} -0
            """);

    assertThat(e.samples()).extracting(Sample::value).containsExactly(-3.25, 1.5e-3, 6.02e23, -0.0);
    assertThat(Double.doubleToRawLongBits(e.samples().get(3).value()))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(e.metadata()).containsExactly(new MetricMetadata("g", "gauge", "", ""));
  }

  @Test
  void readsHistogramBucketsSumAndCount() throws Exception {
    Exposition e =
        parse(
            """
            # HELP http_request_duration_seconds A histogram of the request duration.
            # TYPE http_request_duration_seconds histogram
            http_request_duration_seconds_bucket{le="0.05"} 24054
            http_request_duration_seconds_bucket{le="0.1"} 33444
            http_request_duration_seconds_bucket{le="+Inf"} 144320
            http_request_duration_seconds_sum 53423
            http_request_duration_seconds_count 144320
            """);

    assertThat(e.samples()).hasSize(5);
    assertThat(e.samples().get(2))
        .isEqualTo(
            new Sample(
                Labels.of("__name__", "http_request_duration_seconds_bucket", "le", "+Inf"),
                NOW,
                144320));
    assertThat(e.samples().get(3).labels().metricName())
        .isEqualTo("http_request_duration_seconds_sum");
    assertThat(e.metadata().get(0).type()).isEqualTo("histogram");
  }

  @Test
  void readsSummaryQuantilesIncludingNaN() throws Exception {
    Exposition e =
        parse(
            """
            # TYPE rpc_duration_seconds summary
            rpc_duration_seconds{quantile="0.5"} 4773
            rpc_duration_seconds{quantile="0.99"} NaN
            rpc_duration_seconds_sum 1.7560473e+07
            rpc_duration_seconds_count 2693
            """);

    assertThat(e.samples().get(0).labels().get("quantile")).isEqualTo("0.5");
    assertThat(e.samples().get(1).value()).isNaN();
    assertThat(Sample.isStale(e.samples().get(1).value())).isFalse();
    assertThat(e.samples().get(2).value()).isEqualTo(1.7560473e7);
  }

  @Test
  void readsUntypedAndDefaultsMissingTypeToUntyped() throws Exception {
    Exposition e =
        parse(
            """
            # HELP metric_without_type Just help.
            metric_without_type 12
            # TYPE explicitly_untyped untyped
            explicitly_untyped 1
            """);

    assertThat(e.metadata())
        .containsExactly(
            new MetricMetadata("metric_without_type", "untyped", "Just help.", ""),
            new MetricMetadata("explicitly_untyped", "untyped", "", ""));
  }

  @Test
  void readsInfinitiesInEverySpellingGoAccepts() throws Exception {
    Exposition e =
        parse(
            """
            a +Inf
            a{x="1"} -Inf
            a{x="2"} Inf
            a{x="3"} +inf
            a{x="4"} -infinity
            a{x="5"} nan
            """);

    assertThat(e.samples())
        .extracting(Sample::value)
        .containsExactly(
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.POSITIVE_INFINITY,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.NaN);
  }

  @Test
  void unescapesLabelValues() throws Exception {
    Exposition e =
        parse(
            "msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find"
                + " file:\\n"
                + "\\\"FILE.TXT\\\"\"} 1.458255915e9\n");

    Labels labels = e.samples().get(0).labels();
    assertThat(labels.get("path")).isEqualTo("C:\\DIR\\FILE.TXT");
    assertThat(labels.get("error")).isEqualTo("Cannot find file:\n\"FILE.TXT\"");
  }

  @Test
  void keepsUnknownEscapesAsWrittenLikePrometheus() throws Exception {
    Exposition e = parse("m{v=\"a\\tb\"} 1\n");

    assertThat(e.samples().get(0).labels().get("v")).isEqualTo("a\\tb");
  }

  @Test
  void unescapesBackslashAndNewlineInHelpButNotQuotes() throws Exception {
    Exposition e = parse("# HELP m Line one\\nC:\\\\ and \\\"quoted\\\"\nm 1\n");

    assertThat(e.metadata().get(0).help()).isEqualTo("Line one\nC:\\ and \\\"quoted\\\"");
  }

  @Test
  void decodesUtf8LabelValuesAndHelp() throws Exception {
    Exposition e = parse("# HELP m Température ☀\nm{ville=\"Zürich\",emoji=\"🌶\"} 1\n");

    assertThat(e.samples().get(0).labels().get("ville")).isEqualTo("Zürich");
    assertThat(e.samples().get(0).labels().get("emoji")).isEqualTo("🌶");
    assertThat(e.metadata().get(0).help()).isEqualTo("Température ☀");
  }

  @Test
  void sortsLabelsWrittenOutOfOrder() throws Exception {
    Exposition e = parse("m{zone=\"eu\",app=\"shop\",Upper=\"x\",method=\"GET\"} 1\n");

    Labels labels = e.samples().get(0).labels();
    assertThat(labels.names()).containsExactly("Upper", "__name__", "app", "method", "zone");
    assertThat(labels)
        .isEqualTo(
            Labels.of("__name__", "m", "zone", "eu", "app", "shop", "Upper", "x", "method", "GET"));
  }

  @Test
  void sortsEachLineWhenConsecutiveLinesShareOrChangeTheirLabelNames() throws Exception {
    Exposition e =
        parse(
            """
            m{b="1",a="2"} 1
            m{b="3",a="4"} 2
            m{a="5",b="6"} 3
            m{b="7",c="8"} 4
            m{b="9",c=""} 5
            """);

    assertThat(e.samples())
        .extracting(Sample::labels)
        .containsExactly(
            Labels.of("__name__", "m", "a", "2", "b", "1"),
            Labels.of("__name__", "m", "a", "4", "b", "3"),
            Labels.of("__name__", "m", "a", "5", "b", "6"),
            Labels.of("__name__", "m", "b", "7", "c", "8"),
            Labels.of("__name__", "m", "b", "9"));
  }

  @Test
  void dropsLabelsWithEmptyValues() throws Exception {
    Exposition e = parse("m{a=\"\",b=\"1\"} 1\n");

    assertThat(e.samples().get(0).labels()).isEqualTo(Labels.of("__name__", "m", "b", "1"));
  }

  @Test
  void acceptsColonsInMetricNamesAndEmptyBracesAndTrailingComma() throws Exception {
    Exposition e = parse("job:requests:rate5m{} 1\nm{a=\"1\",} 2\n");

    assertThat(e.samples().get(0).labels()).isEqualTo(Labels.of("__name__", "job:requests:rate5m"));
    assertThat(e.samples().get(1).labels()).isEqualTo(Labels.of("__name__", "m", "a", "1"));
  }

  @Test
  void toleratesBlanksBetweenTokensTrailingWhitespaceCrlfAndBlankLines() throws Exception {
    Exposition e = parse("\n  \r\n\tm { a = \"1\" , b=\"2\" }\t 3   42 \r\n\nn 4\t\r\n");

    assertThat(e.samples())
        .containsExactly(
            new Sample(Labels.of("__name__", "m", "a", "1", "b", "2"), 42, 3),
            new Sample(Labels.of("__name__", "n"), NOW, 4));
  }

  @Test
  void acceptsALastLineWithoutNewline() throws Exception {
    assertThat(parse("m 1").samples()).hasSize(1);
  }

  @Test
  void ignoresOtherCommentsIncludingUnitAndEof() throws Exception {
    Exposition e =
        parse(
            """
            # just a comment
            #no space at all
            # HELP
            # UNIT m seconds
            # EOF
            m 1
            """);

    assertThat(e.samples()).hasSize(1);
    assertThat(e.metadata()).isEmpty();
  }

  @Test
  void readsNegativeIntegerTimestamps() throws Exception {
    assertThat(parse("m 1 -1000\n").samples().get(0).timestampMillis()).isEqualTo(-1000);
  }

  @Test
  void sharesNameStringsAcrossSamples() throws Exception {
    Exposition e = parse("m{method=\"GET\"} 1\nm{method=\"GET\",code=\"200\"} 2\n");

    Labels first = e.samples().get(0).labels();
    Labels second = e.samples().get(1).labels();
    assertThat(second.metricName()).isSameAs(first.metricName());
    assertThat(second.get("method")).isSameAs(first.get("method"));
  }

  @Test
  void keepsBothDeclarationsWhenAFamilyIsDeclaredTwice() throws Exception {
    Exposition e =
        parse(
            """
            # HELP m First.
            # TYPE m gauge
            m 1
            # HELP m Second.
            # TYPE m counter
            m_total 2
            """);

    assertThat(e.metadata())
        .containsExactly(
            new MetricMetadata("m", "gauge", "First.", ""),
            new MetricMetadata("m", "counter", "Second.", ""));
  }

  @Test
  void returnsAnEmptyExpositionForAnEmptyBody() throws Exception {
    Exposition e = parse("");

    assertThat(e.samples()).isEmpty();
    assertThat(e.metadata()).isEmpty();
  }
}
