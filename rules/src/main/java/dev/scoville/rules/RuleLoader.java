package dev.scoville.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import dev.scoville.rules.promql.PromQl;
import dev.scoville.rules.promql.PromQlException;
import dev.scoville.rules.promql.Query;
import dev.scoville.rules.template.AlertTemplate;
import dev.scoville.rules.template.TemplateException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Turns rule groups, inline in Scoville's configuration or in Prometheus rule files, into groups
 * of alerting and recording rules. Every rule that can't be loaded becomes one {@code
 * file:line:column: reason}; the others load regardless.
 */
final class RuleLoader {
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /** Keys of an alerting rule that Prometheus refuses in a recording rule (and Scoville's own). */
  private static final List<String> ALERT_ONLY_KEYS = List.of("for", "keep_firing_for", "annotations",
      "escalation", "runbook", "actions", "resolve_when", "group_by", "flap_window");

  private final Predicate<String> knownPolicy;
  private final List<RuleGroup> groups = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  RuleLoader(Predicate<String> knownPolicy) {
    this.knownPolicy = knownPolicy;
  }

  /** The groups of the configuration's {@code rules} section, and the rule files it names. */
  RuleLoader loadConfigured(ConfigFile config, RulesConfig rulesConfig) {
    loadGroups(config, rulesConfig.groups(), "rules", "groups");
    Path base = Path.of(config.source()).toAbsolutePath().getParent();
    for (Path file : rulesConfig.files()) {
      loadFile(base == null ? file : base.resolve(file));
    }
    return this;
  }

  /** A Prometheus rule file, as {@code promtool check rules} reads it. */
  RuleLoader loadFile(Path file) {
    try {
      ConfigFile rulesFile = ConfigFile.load(file);
      RulesConfig.Group[] groups = rulesFile.section("groups", RulesConfig.Group[].class, null);
      if (groups == null) {
        problems.add(file + ": no 'groups' in this rule file");
      } else {
        loadGroups(rulesFile, Arrays.asList(groups), "groups");
      }
    } catch (ConfigException e) {
      problems.add(e.getMessage());
    }
    return this;
  }

  /** The alerting rules of every group, in order. */
  List<AlertRule> rules() {
    List<AlertRule> rules = new ArrayList<>();
    for (RuleGroup group : groups) {
      group.rules().stream().filter(AlertRule.class::isInstance).map(AlertRule.class::cast).forEach(rules::add);
    }
    return rules;
  }

  List<RuleGroup> groups() {
    return groups;
  }

  List<String> problems() {
    return problems;
  }

  private void loadGroups(ConfigFile file, List<RulesConfig.Group> groups, Object... prefix) {
    for (int g = 0; g < groups.size(); g++) {
      RulesConfig.Group group = groups.get(g);
      List<JsonNode> groupRules = group.rules();
      List<GroupRule> loaded = new ArrayList<>();
      for (int r = 0; r < groupRules.size(); r++) {
        Object[] at = path(prefix, g, "rules", r);
        try {
          RulesConfig.Rule rule = file.bind(groupRules.get(r), RulesConfig.Rule.class, at);
          GroupRule built = rule.record() != null ? record(file, groupRules.get(r), rule, at) : alert(file, rule, at);
          if (built != null) {
            loaded.add(built);
          }
        } catch (ConfigException e) {
          problems.add(e.getMessage());
        }
      }
      this.groups.add(new RuleGroup(file.source(), group.name(), group.interval(), loaded));
    }
  }

  /** A recording rule, checked as Prometheus checks one; null once its problem is recorded. */
  private RecordingRule record(ConfigFile file, JsonNode node, RulesConfig.Rule rule, Object[] at) {
    if (rule.alert() != null) {
      problems.add(file.place(at) + ": only one of 'record' and 'alert' must be set");
      return null;
    }
    if (!METRIC_NAME.matcher(rule.record()).matches()) {
      problems.add(file.place(path(at, "record")) + ": invalid recording rule name: " + rule.record());
      return null;
    }
    for (String key : ALERT_ONLY_KEYS) {
      if (node.has(key)) {
        problems.add(file.place(path(at, key)) + ": recording rule " + rule.record() + ": invalid field '" + key
            + "' in recording rule");
        return null;
      }
    }
    for (String label : rule.labels().keySet()) {
      if (!LABEL_NAME.matcher(label).matches()) {
        problems.add(file.place(path(at, "labels", label)) + ": recording rule " + rule.record()
            + ": invalid label name: " + label);
        return null;
      }
    }
    if (rule.expr() == null) {
      problems.add(file.place(at) + ": recording rule " + rule.record() + " has no 'expr'");
      return null;
    }
    try {
      return new RecordingRule(rule.record(), PromQl.parse(rule.expr()), rule.labels());
    } catch (PromQlException e) {
      problems.add(file.place(path(at, "expr")) + ": recording rule " + rule.record() + ": " + e.getMessage());
      return null;
    }
  }

  /** An alerting rule; null once its problem is recorded. */
  private AlertRule alert(ConfigFile file, RulesConfig.Rule rule, Object[] at) {
    if (rule.alert() == null || rule.alert().isBlank()) {
      problems.add(file.place(at) + ": rule has no 'alert' name");
      return null;
    }
    if (rule.expr() == null) {
      problems.add(file.place(at) + ": rule " + rule.alert() + " has no 'expr'");
      return null;
    }
    if (rule.escalation() != null && !knownPolicy.test(rule.escalation())) {
      problems.add(file.place(path(at, "escalation")) + ": rule " + rule.alert() + " names escalation policy '"
          + rule.escalation() + "', which the escalation section does not define");
      return null;
    }
    if (!templatesParse(file, rule, at, "labels", rule.labels()) || !templatesParse(file, rule, at, "annotations",
        rule.annotations())) {
      return null;
    }
    Query query = parse(file, rule, at, "expr", rule.expr());
    Query resolveWhen = rule.resolveWhen() == null ? null : parse(file, rule, at, "resolve_when", rule.resolveWhen());
    if (query == null || rule.resolveWhen() != null && resolveWhen == null) {
      return null;
    }
    return new AlertRule(rule.alert(), query,
        new AlertRule.Lifecycle(rule.forDuration(), rule.keepFiringFor(), resolveWhen, rule.groupBy(), rule.flapWindow()),
        rule.labels(), rule.annotations(), new Handling(rule.escalation(), rule.runbook(), rule.actions()));
  }

  /** Whether every label or annotation template parses; the first that does not is recorded. */
  private boolean templatesParse(ConfigFile file, RulesConfig.Rule rule, Object[] at, String key,
      Map<String, String> templates) {
    for (Map.Entry<String, String> template : new TreeMap<>(templates).entrySet()) {
      try {
        AlertTemplate.parse(template.getValue());
      } catch (TemplateException e) {
        problems.add(file.place(path(at, key, template.getKey())) + ": rule " + rule.alert() + ": " + key + "."
            + template.getKey() + ": " + e.getMessage());
        return false;
      }
    }
    return true;
  }

  /** The expression of {@code key}, or null once its problem is recorded. */
  private Query parse(ConfigFile file, RulesConfig.Rule rule, Object[] at, String key, String expr) {
    try {
      return PromQl.parse(expr);
    } catch (PromQlException e) {
      problems.add(file.place(path(at, key)) + ": rule " + rule.alert() + ": " + e.getMessage());
      return null;
    }
  }

  private static Object[] path(Object[] prefix, Object... more) {
    Object[] path = Arrays.copyOf(prefix, prefix.length + more.length);
    System.arraycopy(more, 0, path, prefix.length, more.length);
    return path;
  }
}
