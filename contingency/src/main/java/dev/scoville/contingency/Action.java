package dev.scoville.contingency;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One entry of the action catalog: something on-call can do to the shop from an incident.
 *
 * @param secondApprover a second commander must approve before it runs (high risk only)
 * @param cooldown the shortest time between two runs; zero for none
 * @param timeout how long one call may take before it counts as failed
 * @param automaticFor rules whose incidents run this (low-risk) action at once, as {@code scoville}
 */
public record Action(
    String name,
    String title,
    String description,
    Kind kind,
    List<Parameter> parameters,
    Risk risk,
    Actor.Role role,
    boolean secondApprover,
    Duration cooldown,
    Duration timeout,
    List<String> automaticFor) {

  public Action {
    parameters = List.copyOf(parameters);
    automaticFor = List.copyOf(automaticFor);
  }

  /** Whether a run of this action can be undone. */
  public boolean reversible() {
    if (kind instanceof KillSwitch) {
      return true;
    }
    if (kind instanceof Http http) {
      return http.rollback().isPresent();
    }
    if (kind instanceof ScaleOut scaleOut) {
      return scaleOut.rollback().isPresent();
    }
    return false;
  }

  public Optional<Parameter> parameter(String name) {
    return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  public enum Risk {
    LOW,
    MEDIUM,
    HIGH
  }

  /** A value the person running the action may supply; {@code defaultValue} may be null. */
  public record Parameter(String name, String defaultValue, boolean required, boolean integer) {}

  /** What the action does. */
  public sealed interface Kind permits KillSwitch, Http, ScaleOut, CustomerMessage {}

  /** Sets an OFREP flag; {@code off} is what the flag serves before anyone switched it. */
  public record KillSwitch(String flag, JsonNode value, JsonNode off) implements Kind {}

  /** Calls the shop or a provider; every string in it is a template. */
  public record Http(HttpCall call, Optional<HttpCall> rollback) implements Kind {}

  /**
   * An {@link Http} call that carries the integer parameter {@code count}, at most {@code
   * maxCount}.
   */
  public record ScaleOut(HttpCall call, Optional<HttpCall> rollback, int maxCount)
      implements Kind {}

  /**
   * Posts {@code headline} and {@code message} to customers' channel and drafts a status-page
   * entry.
   */
  public record CustomerMessage(String headline, String message) implements Kind {}

  /** A templated HTTP request; {@code body} is null for none. */
  public record HttpCall(String method, String url, Map<String, String> headers, JsonNode body) {
    public HttpCall {
      headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }
  }
}
