package dev.scoville.collector.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpositionErrorsTest {

  private static void assertRejected(String body, ExpositionFormat format, String message) {
    assertThatThrownBy(
            () -> ExpositionParser.parse(body.getBytes(StandardCharsets.UTF_8), format, 0))
        .isInstanceOf(ExpositionException.class)
        .hasMessage(message);
  }

  private static void assertTextRejected(String body, String message) {
    assertRejected(body, ExpositionFormat.TEXT_0_0_4, message);
  }

  private static void assertOpenMetricsRejected(String body, String message) {
    assertRejected(body, ExpositionFormat.OPENMETRICS_1_0_0, message);
  }

  @Test
  void namesTheLabelWithoutEquals() {
    assertTextRejected(
        "a 1\nb 2\nreqs{a=\"1\",route\"/x\"} 1\n", "3:17: expected '=' after label name \"route\"");
  }

  @Test
  void pointsAtAnInvalidMetricName() {
    assertTextRejected("a 1\n# c\n\nb 2\n0abc 1\n", "5:1: invalid metric name");
  }

  @Test
  void quotesAnInvalidValue() {
    assertTextRejected(
        "a 1\n\n\n\n\n\nsome_metric{a=\"bcd\"} 1.2.3\n", "7:22: invalid value \"1.2.3\"");
  }

  @Test
  void exposesLineColumnAndReasonSeparately() {
    assertThatThrownBy(() -> TextFormatParsingTest.parse("a 1\nm{a=x} 1\n"))
        .asInstanceOf(InstanceOfAssertFactories.throwable(ExpositionException.class))
        .satisfies(
            e -> {
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.column()).isEqualTo(5);
              assertThat(e.reason()).isEqualTo("expected '\"' to open the value of label \"a\"");
            });
  }

  @ParameterizedTest(name = "text {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "m{a=\"1\",a=\"2\"} 1          | 1:9: duplicate label name \"a\"",
        "m{b=\"1\",a=\"2\",b=\"3\"} 1  | 1:15: duplicate label name \"b\"",
        "m{__name__=\"x\"} 1          | 1:3: duplicate label name \"__name__\"",
        "m{1a=\"x\"} 1                | 1:3: invalid label name",
        "m{a=\"x\" b=\"y\"} 1         | 1:9: expected ',' or '}' after the value of label \"a\"",
        "m{a=\"ü\",b } 1              | 1:11: expected '=' after label name \"b\"",
        "m                            | 1:2: expected a value",
        "m{a=\"b\"}                   | 1:9: expected a value",
        "m 1 12.5                     | 1:5: invalid timestamp \"12.5\"",
        "m 1 99999999999999999999     | 1:5: invalid timestamp \"99999999999999999999\"",
        "m 1 2 3                      | 1:7: expected end of line after timestamp",
        "m 1 # {a=\"b\"} 1            | 1:5: invalid timestamp \"#\"",
        "m 1e400                      | 1:3: invalid value \"1e400\"",
        "m 1d                         | 1:3: invalid value \"1d\"",
        "m Infinity1                  | 1:3: invalid value \"Infinity1\"",
        "m +NaN                       | 1:3: invalid value \"+NaN\"",
        "m 0x10                       | 1:3: invalid value \"0x10\"",
        "m 1_000                      | 1:3: invalid value \"1_000\"",
        "m .                          | 1:3: invalid value \".\"",
        "m 1e                         | 1:3: invalid value \"1e\"",
        "# TYPE m counters            | 1:10: invalid metric type \"counters\"",
        "# TYPE m info                | 1:10: invalid metric type \"info\"",
        "# TYPE 1m gauge              | 1:8: invalid metric name",
        "# HELP m{} help              | 1:9: expected a space after the metric name in HELP",
        "{a=\"b\"} 1                  | 1:1: invalid metric name",
      })
  void rejectsInvalidTextLines(String line, String message) {
    assertTextRejected(line.strip(), message);
  }

  @Test
  void findsADuplicateAfterLinesWithTheSameNames() {
    assertTextRejected(
        "m{b=\"1\",a=\"2\"} 1\nm{b=\"1\",a=\"2\",b=\"3\"} 1\n", "2:15: duplicate label name \"b\"");
  }

  @Test
  void rejectsANewlineInsideALabelValue() {
    assertTextRejected("m{a=\"x} 1\nn 2\n", "1:10: unterminated label value");
  }

  @Test
  void rejectsInvalidUtf8InALabelValue() {
    byte[] body = {'m', '{', 'a', '=', '"', (byte) 0xc3, (byte) 0x28, '"', '}', ' ', '1', '\n'};
    assertThatThrownBy(() -> ExpositionParser.parse(body, ExpositionFormat.TEXT_0_0_4, 0))
        .hasMessage("1:6: invalid UTF-8 in label value");
  }

  @Test
  void requiresEofInOpenMetrics() {
    assertOpenMetricsRejected("m 1\n", "2:1: OpenMetrics exposition must end with \"# EOF\"");
    assertOpenMetricsRejected("m 1", "1:4: OpenMetrics exposition must end with \"# EOF\"");
  }

  @ParameterizedTest(name = "OpenMetrics {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "m 1\\n# EOF\\nm 2\\n                  | 3:1: unexpected data after \"# EOF\"",
        "m 1\\n# EOF\\n\\n                     | 3:1: unexpected data after \"# EOF\"",
        "m 1\\n\\n# EOF\\n                     | 2:1: blank lines are not allowed in OpenMetrics",
        "# hello\\n"
            + "# EOF\\n"
            + "                    | 1:1: expected \"# HELP\", \"# TYPE\", \"# UNIT\" or \"# EOF\"",
        "m{a=\"1\", b=\"2\"} 1\\n# EOF\\n       | 1:9: invalid label name",
        "m  1\\n# EOF\\n                       | 1:3: expected a value",
        "m 1 abc\\n# EOF\\n                    | 1:5: invalid timestamp \"abc\"",
        "m 1 # trace\\n"
            + "# EOF\\n"
            + "                | 1:4: expected a timestamp or \" # {\" to start an exemplar",
        "m 1 # {a=\"b\"}\\n# EOF\\n            | 1:14: expected a space before the value",
        "m 1 # {a=\"b\"} 1 x\\n# EOF\\n        | 1:17: invalid exemplar timestamp \"x\"",
        "m 1 # {a=\"b\",a=\"c\"} 1\\n# EOF\\n    | 1:14: duplicate label name \"a\"",
        "# UNIT m_seconds bytes\\n"
            + "# EOF\\n"
            + "      | 1:18: unit \"bytes\" is not a suffix of metric family \"m_seconds\"",
        "# TYPE m untyped\\n# EOF\\n            | 1:10: invalid metric type \"untyped\"",
        "m 1\\r\\n# EOF\\n                       | 1:3: invalid value \"1\\x0d\"",
      })
  void rejectsInvalidOpenMetrics(String body, String message) {
    assertOpenMetricsRejected(body.strip().replace("\\n", "\n").replace("\\r", "\r"), message);
  }

  @Test
  void rejectsLeadingSpaceInOpenMetrics() {
    assertOpenMetricsRejected(" m 1\n# EOF\n", "1:1: invalid metric name");
  }

  @Test
  void limitsExemplarLabelsTo128Characters() {
    String id = "x".repeat(128);
    assertOpenMetricsRejected(
        "m 1 # {id=\"" + id + "\"} 1\n# EOF\n", "1:7: exemplar labels longer than 128 characters");
  }
}
