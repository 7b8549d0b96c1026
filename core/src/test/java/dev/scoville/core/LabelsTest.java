package dev.scoville.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabelsTest {
  @Test
  void sortsByNameAndDropsEmptyValues() {
    Labels labels = Labels.of("route", "/cart", "__name__", "http_requests_total", "code", "");

    assertThat(labels.names()).containsExactly("__name__", "route");
    assertThat(labels.metricName()).isEqualTo("http_requests_total");
    assertThat(labels.get("code")).isNull();
  }

  @Test
  void equalSetsAreEqualWhateverTheInputOrder() {
    assertThat(Labels.of("a", "1", "b", "2")).isEqualTo(Labels.of("b", "2", "a", "1"))
        .hasSameHashCodeAs(Labels.of("b", "2", "a", "1"));
  }

  @Test
  void printsInPrometheusNotationWithEscaping() {
    Labels labels = Labels.of("__name__", "up", "job", "shop", "path", "C:\\tmp\n\"x\"");

    assertThat(labels).hasToString("up{job=\"shop\",path=\"C:\\\\tmp\\n\\\"x\\\"\"}");
  }

  @Test
  void refusesUnsortedPairsGivenAsSorted() {
    assertThatThrownBy(() -> Labels.ofSorted(new String[] {"b", "1", "a", "2"}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keepsAndDropsByName() {
    Labels labels = Labels.of("__name__", "x", "job", "shop", "instance", "a:1");

    assertThat(labels.keepOnly(List.of("job"))).isEqualTo(Labels.of("job", "shop"));
    assertThat(labels.without(List.of("__name__"))).isEqualTo(Labels.of("job", "shop", "instance", "a:1"));
  }

  @Test
  void regexMatchersAreAnchoredAndAbsentLabelsMatchEmpty() {
    Labels labels = Labels.of("code", "503");

    assertThat(LabelMatcher.of("code", LabelMatcher.Op.REGEX, "5..").matches(labels)).isTrue();
    assertThat(LabelMatcher.of("code", LabelMatcher.Op.REGEX, "0").matches(labels)).isFalse();
    assertThat(LabelMatcher.of("route", LabelMatcher.Op.EQUAL, "").matches(labels)).isTrue();
  }

  @Test
  void withoutOneNameAndWithOverrides() {
    Labels sample = Labels.of("__name__", "queue_stuck", "queue", "7", "severity", "low", "zone", "b");
    Labels rule = Labels.of("alertname", "QueueStuck", "severity", "critical");

    assertThat(sample.without(Labels.METRIC_NAME, rule))
        .isEqualTo(Labels.of("alertname", "QueueStuck", "queue", "7", "severity", "critical", "zone", "b"));
    assertThat(Labels.EMPTY.without(Labels.METRIC_NAME, rule)).isEqualTo(rule);
    assertThat(sample.without("zone", Labels.EMPTY)).isEqualTo(Labels.of("__name__", "queue_stuck", "queue", "7", "severity", "low"));
  }
}
