package dev.scoville.collector;

import dev.scoville.core.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** A job's target or metric relabeling, compiled once: Prometheus semantics for the actions it supports. */
final class Relabeling {
  static final Relabeling NONE = new Relabeling(List.of());
  private static final Set<String> ACTIONS = Set.of("keep", "drop", "replace", "labelmap", "labeldrop", "labelkeep");

  private final List<Step> steps;

  private Relabeling(List<Step> steps) {
    this.steps = steps;
  }

  /** Compiles the rules of {@code key}; a bad one throws with its place and the reason. */
  static Relabeling compile(List<ScrapeConfig.RelabelRule> rules, String key) {
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      ScrapeConfig.RelabelRule rule = rules.get(i);
      if (!ACTIONS.contains(rule.action())) {
        throw new IllegalArgumentException(key + "[" + i + "].action: \"" + rule.action()
            + "\" is not one of " + String.join(", ", ACTIONS.stream().sorted().toList()));
      }
      if (rule.action().equals("replace") && (rule.targetLabel() == null || rule.targetLabel().isEmpty())) {
        throw new IllegalArgumentException(key + "[" + i + "].targetLabel: replace needs a targetLabel");
      }
      try {
        steps.add(new Step(rule, Pattern.compile("^(?:" + rule.regex() + ")$")));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(key + "[" + i + "].regex: " + e.getDescription(), e);
      }
    }
    return steps.isEmpty() ? NONE : new Relabeling(steps);
  }

  boolean isEmpty() {
    return steps.isEmpty();
  }

  /** The relabeled labels, or null when a step drops the sample. */
  Labels apply(Labels labels) {
    Labels current = labels;
    for (Step step : steps) {
      current = step.apply(current);
      if (current == null) {
        return null;
      }
    }
    return current;
  }

  private record Step(ScrapeConfig.RelabelRule rule, Pattern regex) {
    Labels apply(Labels labels) {
      return switch (rule.action()) {
        case "keep" -> regex.matcher(source(labels)).matches() ? labels : null;
        case "drop" -> regex.matcher(source(labels)).matches() ? null : labels;
        case "replace" -> replace(labels);
        case "labelmap" -> labelMap(labels);
        case "labeldrop" -> labels.without(labels.names().stream().filter(n -> regex.matcher(n).matches()).toList());
        default -> labels.keepOnly(labels.names().stream()
            .filter(n -> n.equals(Labels.METRIC_NAME) || regex.matcher(n).matches()).toList());
      };
    }

    private Labels replace(Labels labels) {
      Matcher m = regex.matcher(source(labels));
      if (!m.matches()) {
        return labels;
      }
      String value = m.replaceFirst(javaReplacement());
      Map<String, String> map = labels.toMap();
      map.put(rule.targetLabel(), value);
      return Labels.fromMap(map);
    }

    /** Copies each label whose name matches under the name the replacement makes of it. */
    private Labels labelMap(Labels labels) {
      Map<String, String> map = labels.toMap();
      String replacement = javaReplacement();
      for (String name : labels.names()) {
        Matcher m = regex.matcher(name);
        if (m.matches()) {
          map.put(m.replaceFirst(replacement), labels.get(name));
        }
      }
      return Labels.fromMap(map);
    }

    /** Prometheus writes {@code ${1}} where Java's matcher wants {@code $1}. */
    private String javaReplacement() {
      return rule.replacement().replaceAll("\\$\\{(\\w+)}", "\\$$1");
    }

    private String source(Labels labels) {
      List<String> values = new ArrayList<>(rule.sourceLabels().size());
      for (String name : rule.sourceLabels()) {
        String v = labels.get(name);
        values.add(v == null ? "" : v);
      }
      return String.join(rule.separator(), values);
    }
  }
}
