package dev.scoville.rules.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.scoville.core.Labels;
import dev.scoville.rules.promql.VectorSample;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The annotations of {@code template/prometheus_templates.yml} rendered for the fourteen series of
 * different values that Debian's Prometheus 2.42 rendered them for: {@code
 * template/prometheus_rendered.json} is its {@code /api/v1/alerts} answer (external label {@code
 * region: eu}, {@code --web.external-url=http://prom.example:9090/}).
 */
class AlertTemplateTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Rendered(String series, String annotation, String template, TemplateData data, String expected) {
    @Override
    public String toString() {
      return series + " " + annotation;
    }
  }

  static Stream<Rendered> renderedByPrometheus() throws Exception {
    JsonNode annotations;
    try (InputStream in = AlertTemplateTest.class.getResourceAsStream("/template/prometheus_templates.yml")) {
      annotations = new ObjectMapper(new YAMLFactory()).readTree(in).path("groups").get(0).path("rules").get(0)
          .path("annotations");
    }
    JsonNode alerts;
    try (InputStream in = AlertTemplateTest.class.getResourceAsStream("/template/prometheus_rendered.json")) {
      alerts = JSON.readTree(in);
    }
    List<Rendered> out = new ArrayList<>();
    for (JsonNode alert : alerts) {
      Map<String, String> labels = new HashMap<>();
      alert.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      labels.remove("alertname");
      labels.put("__name__", "v");
      double value = parse(alert.path("value").asText());
      TemplateData data = new TemplateData(labels, Map.of("region", "eu"), "http://prom.example:9090", value,
          AlertTemplateTest::query);
      Iterator<Map.Entry<String, JsonNode>> it = alert.path("annotations").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        out.add(new Rendered(labels.get("case"), e.getKey(), annotations.path(e.getKey()).asText(), data,
            e.getValue().asText()));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderedByPrometheus")
  void rendersAsPrometheusRenders(Rendered rendered) throws Exception {
    assertThat(AlertTemplate.parse(rendered.template()).render(rendered.data())).isEqualTo(rendered.expected());
  }

  @Test
  void refusesAnUnknownFunctionAtItsColumn() {
    assertThatThrownBy(() -> AlertTemplate.parse("{{ $value | humanise }} is high"))
        .isInstanceOfSatisfying(TemplateException.class, e -> {
          assertThat(e.column()).isEqualTo(13);
          assertThat(e.reason()).isEqualTo("function \"humanise\" not defined");
        });
    assertThatThrownBy(() -> AlertTemplate.parse("{{ if gt $value 1.0 }}high")).isInstanceOf(TemplateException.class)
        .hasMessage("column 4: unexpected end of template: {{if}} needs {{end}}");
    assertThatThrownBy(() -> AlertTemplate.parse("{{ $value ")).hasMessage("column 1: unclosed action");
  }

  @Test
  void executionErrorsRenderAsPrometheusDoesAndLoseNothingElse() throws Exception {
    TemplateData data = new TemplateData(Map.of(), Map.of(), "", 1e300, null);

    assertThat(AlertTemplate.parse("{{ humanizeTimestamp $value }}").render(data))
        .startsWith("<error expanding template: error calling humanizeTimestamp: 1e+300 cannot be represented");
    assertThat(AlertTemplate.parse("{{ if gt $value 10 }}x{{ end }}").render(data))
        .isEqualTo("<error expanding template: incompatible types for comparison>");
    assertThat(AlertTemplate.parse("plain {text} stays").render(data)).isEqualTo("plain {text} stays");
  }

  private static double parse(String value) {
    return switch (value) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(value);
    };
  }

  private static List<VectorSample> query(String expression) {
    return switch (expression) {
      case "count(v)" -> List.of(new VectorSample(Labels.EMPTY, 14));
      case "v{case=\"zero\"}" -> List.of(new VectorSample(Labels.of("__name__", "v", "case", "zero"), 0));
      default -> throw new IllegalArgumentException("unexpected query " + expression);
    };
  }
}
