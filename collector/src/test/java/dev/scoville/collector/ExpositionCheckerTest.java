package dev.scoville.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each class of input the specifications forbid but lenient ingestion accepts, refused by {@code
 * CheckMetrics} with the place, the reason and the rule it breaks. {@code \n} in a case is a line
 * break.
 */
class ExpositionCheckerTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "negative counter | --openmetrics | # TYPE c counter\\nc_total -1\\n# EOF"
          + " | stdin:2:9: value of c_total is negative (OpenMetrics 1.0, Counter and Histogram: counts MUST NOT be NaN or negative)",
      "NaN counter | --openmetrics | # TYPE c counter\\nc_total NaN\\n# EOF"
          + " | stdin:2:9: value of c_total is NaN",
      "histogram without +Inf | --openmetrics | # TYPE h histogram\\nh_bucket{le=\"1\"} 1\\nh_count 1\\nh_sum 1\\n# EOF"
          + " | stdin:2:1: h{} has no +Inf bucket (OpenMetrics 1.0, Histogram: \"A Histogram MetricPoint MUST have a bucket with an +Inf threshold\")",
      "decreasing buckets | --openmetrics | # TYPE h histogram\\nh_bucket{le=\"1\"} 5\\nh_bucket{le=\"2\"} 3\\nh_bucket{le=\"+Inf\"} 5\\nh_count 5\\nh_sum 1\\n# EOF"
          + " | stdin:3:1: bucket le=\"2\" of h{} is less than the bucket below it (OpenMetrics 1.0, Histogram: \"Buckets MUST be cumulative\")",
      "count differs from +Inf bucket | --openmetrics | # TYPE h histogram\\nh_bucket{le=\"+Inf\"} 5\\nh_count 4\\nh_sum 1\\n# EOF"
          + " | stdin:3:1: h_count{} differs from its +Inf bucket",
      "exemplar on a gauge | --openmetrics | # TYPE g gauge\\ng 1 # {trace_id=\"a\"} 1\\n# EOF"
          + " | stdin:2:5: exemplar on g (OpenMetrics 1.0, Exemplars: only counters' _total and histograms' _bucket samples may have exemplars)",
      "metadata after samples | --openmetrics | # TYPE g gauge\\ng 1\\n# HELP g Help.\\n# EOF"
          + " | stdin:3:1: HELP line for g after its samples (OpenMetrics 1.0, MetricFamily: metadata comes before the family's MetricPoints)",
      "repeated metadata | --openmetrics | # TYPE g gauge\\n# HELP g One.\\n# HELP g Two.\\ng 1\\n# EOF"
          + " | stdin:3:1: second HELP line for g",
      "interleaved families | --openmetrics | # TYPE a gauge\\na 1\\n# TYPE b gauge\\nb 1\\na{x=\"1\"} 2\\n# EOF"
          + " | stdin:5:1: samples of a are interleaved with another family's (OpenMetrics 1.0, MetricFamily: \"MetricFamilies MUST NOT be interleaved\")",
      "unit not the name's suffix | --openmetrics | # TYPE d gauge\\n# UNIT d seconds\\nd 1\\n# EOF"
          + " | stdin:2:10: unit \"seconds\" is not a suffix of metric family \"d\"",
      "info value other than 1 | --openmetrics | # TYPE i info\\ni_info{v=\"1\"} 2\\n# EOF"
          + " | stdin:2:15: info metric i_info has value 2 (OpenMetrics 1.0, Info: \"The Sample value MUST always be 1\")",
      "stateset value other than 0 or 1 | --openmetrics | # TYPE s stateset\\ns{s=\"a\"} 2\\n# EOF"
          + " | stdin:2:10: stateset s has value 2",
      "timestamps going back | --openmetrics | # TYPE g gauge\\ng 1 2\\ng 1 1\\n# EOF"
          + " | stdin:3:5: timestamp 1 of g{} does not increase",
      "unknown escape in a label value | | m{a=\"x\\q\"} 1"
          + " | stdin:1:7: unknown escape sequence \\q in the value of label a (Prometheus text format 0.0.4,",
      "second TYPE line | | # TYPE m gauge\\n# TYPE m counter\\nm 1"
          + " | stdin:2:1: second TYPE line for m (Prometheus text format 0.0.4, \"Only one TYPE line may exist for a given metric name\")",
  })
  void refusesWithThePlaceTheReasonAndTheRule(String what, String flag, String exposition, String expected) {
    String body = exposition.replace("\\n", "\n") + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exit = CheckMetrics.run(flag == null ? new String[0] : new String[] {flag},
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), print(out), print(err));

    assertThat(exit).as(what).isEqualTo(CheckMetrics.INVALID);
    assertThat(err.toString(StandardCharsets.UTF_8)).as(what).startsWith(expected);
  }

  private static PrintStream print(ByteArrayOutputStream out) {
    return new PrintStream(out, true, StandardCharsets.UTF_8);
  }
}
