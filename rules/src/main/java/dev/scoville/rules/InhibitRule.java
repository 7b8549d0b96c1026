package dev.scoville.rules;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One entry of the {@code inhibit_rules} section, as in Alertmanager's configuration: while an
 * alert matching {@code source_matchers} fires, alerts matching {@code target_matchers} with the
 * same values of the {@code equal} labels send no notifications. Matchers are written as
 * Alertmanager writes them: {@code severity="critical"}, {@code alertname=~"Checkout.*"}.
 */
public record InhibitRule(
    @JsonProperty("source_matchers") List<String> sourceMatchers,
    @JsonProperty("target_matchers") List<String> targetMatchers,
    List<String> equal) {

  public InhibitRule {
    sourceMatchers = sourceMatchers == null ? List.of() : List.copyOf(sourceMatchers);
    targetMatchers = targetMatchers == null ? List.of() : List.copyOf(targetMatchers);
    equal = equal == null ? List.of() : List.copyOf(equal);
  }
}
