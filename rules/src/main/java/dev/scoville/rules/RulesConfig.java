package dev.scoville.rules;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code rules} section: Prometheus rule groups written inline as in a Prometheus rule file,
 * and Prometheus rule files as they are ({@code files}, relative to the configuration file).
 */
public record RulesConfig(List<Group> groups, List<Path> files) {

  public RulesConfig {
    groups = groups == null ? List.of() : List.copyOf(groups);
    files = files == null ? List.of() : List.copyOf(files);
  }

  public static RulesConfig none() {
    return new RulesConfig(List.of(), List.of());
  }

  /**
   * A rule group; {@code interval} is the safety-net re-evaluation period. Its rules stay unbound
   * until loaded one by one, so that one bad rule does not take the others with it.
   */
  public record Group(String name, Duration interval, List<JsonNode> rules) {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);

    public Group {
      interval = interval == null ? DEFAULT_INTERVAL : interval;
      rules = rules == null ? List.of() : List.copyOf(rules);
    }
  }

  /**
   * An alerting rule ({@code alert}) or a recording rule ({@code record}, {@code expr}, {@code
   * labels}). Besides
   * Prometheus' keys: {@code escalation} names an escalation policy
   * (none: the default), {@code runbook} a runbook, {@code actions} the contingency actions to
   * offer on its incidents; {@code resolve_when} an expression a firing alert must also return to
   * resolve (hysteresis), {@code group_by} the labels whose alerts share an incident (null: all),
   * {@code flap_window} how long a flapping alert must stay quiet to resolve (zero: no damping).
   */
  public record Rule(
      String alert,
      String record,
      String expr,
      @JsonProperty("for") Duration forDuration,
      @JsonProperty("keep_firing_for") Duration keepFiringFor,
      Map<String, String> labels,
      Map<String, String> annotations,
      String escalation,
      String runbook,
      List<String> actions,
      @JsonProperty("resolve_when") String resolveWhen,
      @JsonProperty("group_by") List<String> groupBy,
      @JsonProperty("flap_window") Duration flapWindow) {
    static final Duration DEFAULT_FLAP_WINDOW = Duration.ofMinutes(10);

    public Rule {
      forDuration = forDuration == null ? Duration.ZERO : forDuration;
      keepFiringFor = keepFiringFor == null ? Duration.ZERO : keepFiringFor;
      labels = labels == null ? Map.of() : Map.copyOf(labels);
      annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
      actions = actions == null ? List.of() : List.copyOf(actions);
      groupBy = groupBy == null ? null : List.copyOf(groupBy);
      flapWindow = flapWindow == null ? DEFAULT_FLAP_WINDOW : flapWindow;
    }
  }
}
