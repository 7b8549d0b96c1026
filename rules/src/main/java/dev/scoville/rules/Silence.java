package dev.scoville.rules;

import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import java.time.Instant;
import java.util.List;

/**
 * A silence, in Alertmanager's v2 shape: alerts whose labels all {@code matchers} match send no
 * notifications from {@code startsAt} until {@code endsAt}; who made it and why.
 */
public record Silence(String id, List<Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
    String comment, Instant updatedAt) {

  public Silence {
    matchers = List.copyOf(matchers);
  }

  /** Alertmanager's words for where a silence stands. */
  public enum State {
    PENDING,
    ACTIVE,
    EXPIRED
  }

  public State state(Instant now) {
    if (!now.isBefore(endsAt)) {
      return State.EXPIRED;
    }
    return now.isBefore(startsAt) ? State.PENDING : State.ACTIVE;
  }

  boolean matches(Labels labels) {
    return matchers.stream().allMatch(m -> m.toLabelMatcher().matches(labels));
  }

  /** One matcher: {@code isEqual} false negates it, {@code isRegex} makes the value a regex anchored at both ends. */
  public record Matcher(String name, String value, boolean isRegex, boolean isEqual) {
    LabelMatcher toLabelMatcher() {
      LabelMatcher.Op op = isRegex
          ? (isEqual ? LabelMatcher.Op.REGEX : LabelMatcher.Op.NOT_REGEX)
          : (isEqual ? LabelMatcher.Op.EQUAL : LabelMatcher.Op.NOT_EQUAL);
      return LabelMatcher.of(name, op, value);
    }
  }
}
