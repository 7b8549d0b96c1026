package dev.scoville.rules;

import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Decides whether an alert may notify: not while an active silence matches it, nor while a firing
 * alert inhibits it. The answer is a reason for people ({@code silence <id>}, {@code inhibition
 * from incident <n>}) or null.
 */
final class Muting {
  static final Muting NONE = new Muting(List.of());
  private static final Pattern MATCHER =
      Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[^\"]*?)\\s*");

  private final List<Inhibition> inhibitions;

  private Muting(List<Inhibition> inhibitions) {
    this.inhibitions = List.copyOf(inhibitions);
  }

  /** The {@code inhibit_rules} section checked; fails naming the place of a bad matcher. */
  static Muting of(ConfigFile config, List<InhibitRule> rules) {
    List<Inhibition> inhibitions = new ArrayList<>();
    for (int r = 0; r < rules.size(); r++) {
      InhibitRule rule = rules.get(r);
      if (rule.sourceMatchers().isEmpty() || rule.targetMatchers().isEmpty()) {
        throw new ConfigException(config.place("inhibit_rules", r)
            + ": an inhibit rule needs source_matchers and target_matchers");
      }
      inhibitions.add(new Inhibition(matchers(config, r, "source_matchers", rule.sourceMatchers()),
          matchers(config, r, "target_matchers", rule.targetMatchers()), rule.equal()));
    }
    return new Muting(inhibitions);
  }

  private static List<LabelMatcher> matchers(ConfigFile config, int rule, String key, List<String> texts) {
    List<LabelMatcher> matchers = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      try {
        matchers.add(parseMatcher(texts.get(i)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(config.place("inhibit_rules", rule, key, i) + ": " + e.getMessage(), e);
      }
    }
    return matchers;
  }

  /** Alertmanager's matcher syntax: {@code name op value}, the value quoted (Go escapes) or bare. */
  static LabelMatcher parseMatcher(String text) {
    Matcher m = MATCHER.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a matcher such as severity=\"critical\"");
    }
    String value = m.group(3);
    if (value.startsWith("\"")) {
      value = value.substring(1, value.length() - 1)
          .replaceAll("\\\\([\"\\\\])", "$1").replace("\\n", "\n");
    }
    LabelMatcher.Op op = switch (m.group(2)) {
      case "=" -> LabelMatcher.Op.EQUAL;
      case "!=" -> LabelMatcher.Op.NOT_EQUAL;
      case "=~" -> LabelMatcher.Op.REGEX;
      default -> LabelMatcher.Op.NOT_REGEX;
    };
    try {
      return LabelMatcher.of(m.group(1), op, value);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("'" + text + "': invalid regex: " + e.getDescription(), e);
    }
  }

  /** Whether a firing alert with these labels may mute others: worth re-deciding them when it opens or resolves. */
  boolean mayInhibit(Labels labels) {
    return inhibitions.stream().anyMatch(i -> all(i.source(), labels));
  }

  /** Whether an inhibit rule may mute an alert with these labels. */
  boolean mayBeInhibited(Labels labels) {
    return inhibitions.stream().anyMatch(i -> all(i.target(), labels));
  }

  /**
   * Why the alert of incident {@code incidentId} must not notify now, or null. Silences first,
   * then the open incidents' alerts as sources of inhibition, the oldest first so that the answer
   * stays the same while nothing changes.
   */
  String reason(long incidentId, Labels labels, List<Silence> activeSilences, List<IncidentService.OpenAlert> open) {
    List<String> silences = activeSilences.stream().filter(s -> s.matches(labels)).map(Silence::id).sorted().toList();
    if (!silences.isEmpty()) {
      return "silence " + silences.get(0) + (silences.size() > 1 ? " and " + (silences.size() - 1) + " more" : "");
    }
    for (Inhibition inhibition : inhibitions) {
      if (!all(inhibition.target(), labels)) {
        continue;
      }
      // As Alertmanager: an alert that is both source and target cannot be inhibited by another such alert.
      boolean twoSided = all(inhibition.source(), labels);
      for (IncidentService.OpenAlert source : open) {
        if (source.incidentId() != incidentId && all(inhibition.source(), source.labels())
            && inhibition.equal().stream().allMatch(l -> Objects.equals(value(source.labels(), l), value(labels, l)))
            && !(twoSided && all(inhibition.target(), source.labels()))) {
          return "inhibition from incident " + source.incidentId();
        }
      }
    }
    return null;
  }

  /** As Alertmanager, a missing label equals an empty one. */
  private static String value(Labels labels, String name) {
    String v = labels.get(name);
    return v == null ? "" : v;
  }

  private static boolean all(List<LabelMatcher> matchers, Labels labels) {
    return matchers.stream().allMatch(m -> m.matches(labels));
  }

  private record Inhibition(List<LabelMatcher> source, List<LabelMatcher> target, List<String> equal) {}
}
