package dev.scoville.rules.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RealWorldRulesTest {

  record Refusal(int column, String reason) {}

  record Rule(String alert, String expr, Refusal refused) {
    @Override
    public String toString() {
      return alert;
    }
  }

  static Stream<Rule> rules() throws Exception {
    try (InputStream in =
        RealWorldRulesTest.class.getResourceAsStream("/promql/real_world_rules.yml")) {
      List<Rule> rules =
          new ObjectMapper(new YAMLFactory()).readValue(in, new TypeReference<>() {});
      return rules.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void parsesSupportedRulesAndRefusesTheRestWithColumnAndReason(Rule rule) throws Exception {
    if (rule.refused() == null) {
      String normalized = PromQl.parse(rule.expr()).toString();
      assertThat(PromQl.parse(normalized).toString()).isEqualTo(normalized);
    } else {
      assertThatThrownBy(() -> PromQl.parse(rule.expr()))
          .isInstanceOfSatisfying(
              PromQlException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(rule.refused().reason());
                assertThat(e.column()).isEqualTo(rule.refused().column());
              });
    }
  }
}
