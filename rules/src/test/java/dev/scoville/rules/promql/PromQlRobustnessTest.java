package dev.scoville.rules.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.scoville.core.Labels;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Damaged expressions, as people type them: every prefix and every one-character deletion of the
 * real-world rules either parses or is refused with a column inside the text; whatever parses
 * prints as it re-parses, and evaluates or fails only with {@link PromQlEvaluationException}.
 */
class PromQlRobustnessTest {

  @Test
  void damagedExpressionsAreRefusedOrEvaluatedNeverCrash() throws Exception {
    InMemorySeriesReader reader = new InMemorySeriesReader();
    reader
        .add(Labels.of("__name__", "up", "job", "node", "instance", "a"), 15, 1, 0, 1)
        .add(Labels.of("__name__", "http_requests_total", "service", "cart"), 15, 1, 5, 9);
    int parsed = 0;
    int refused = 0;
    for (String expression : expressions()) {
      for (String damaged : damage(expression)) {
        Query query;
        try {
          query = PromQl.parse(damaged);
        } catch (PromQlException e) {
          assertThat(e.column()).as(damaged).isBetween(1, damaged.length() + 1);
          refused++;
          continue;
        } catch (RuntimeException e) {
          fail("parsing \"" + damaged + "\" threw " + e, e);
          return;
        }
        parsed++;
        assertThat(PromQl.parse(query.toString()).toString()).isEqualTo(query.toString());
        try {
          query.evaluate(reader, 30_000);
        } catch (PromQlEvaluationException e) {
          // The data made it fail, as it would in Prometheus.
        } catch (RuntimeException e) {
          fail("\"" + damaged + "\" parsed but then threw " + e, e);
        }
      }
    }
    assertThat(parsed).isPositive();
    assertThat(refused).isPositive();
  }

  private static List<String> damage(String expression) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < expression.length(); i++) {
      out.add(expression.substring(0, i));
      out.add(expression.substring(0, i) + expression.substring(i + 1));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<String> expressions() throws Exception {
    try (InputStream in =
        PromQlRobustnessTest.class.getResourceAsStream("/promql/real_world_rules.yml")) {
      Map<String, Object> file = new ObjectMapper(new YAMLFactory()).readValue(in, Map.class);
      List<String> out = new ArrayList<>();
      for (Map<String, Object> rule : (List<Map<String, Object>>) file.get("rules")) {
        out.add((String) rule.get("expr"));
      }
      return out;
    }
  }
}
