package dev.scoville.rules.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.scoville.core.PrometheusDuration;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Expressions from public alert rule collections, over recorded series. */
class RealWorldRulesTest {

  record Refusal(int column, String reason) {}

  record Rule(String alert, String expr, List<String> fires, Refusal refused) {
    @Override
    public String toString() {
      return alert;
    }
  }

  record RuleFile(
      String interval, String evaluateAt, Map<String, String> series, List<Rule> rules) {}

  private static RuleFile file;
  private static final InMemorySeriesReader reader = new InMemorySeriesReader();

  @BeforeAll
  static void recordSeries() throws Exception {
    long interval = PrometheusDuration.parse(load().interval()).toMillis();
    file.series().forEach((series, values) -> RecordedSeries.add(reader, series, values, interval));
  }

  private static RuleFile load() throws Exception {
    if (file == null) {
      try (InputStream in =
          RealWorldRulesTest.class.getResourceAsStream("/promql/real_world_rules.yml")) {
        file =
            new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(
                    com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
                .readValue(in, RuleFile.class);
      }
    }
    return file;
  }

  static Stream<Rule> rules() throws Exception {
    return load().rules().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void supportedRulesFireForTheExpectedSeriesAndTheRestAreRefused(Rule rule) throws Exception {
    if (rule.refused() != null) {
      assertThatThrownBy(() -> PromQl.parse(rule.expr()))
          .isInstanceOfSatisfying(
              PromQlException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(rule.refused().reason());
                assertThat(e.column()).isEqualTo(rule.refused().column());
              });
      return;
    }
    Query query = PromQl.parse(rule.expr());
    assertThat(PromQl.parse(query.toString()).toString()).isEqualTo(query.toString());
    long at = PrometheusDuration.parse(file.evaluateAt()).toMillis();
    assertThat(query.evaluate(reader, at))
        .extracting(s -> s.labels().toString())
        .containsExactlyInAnyOrderElementsOf(rule.fires());
  }
}
