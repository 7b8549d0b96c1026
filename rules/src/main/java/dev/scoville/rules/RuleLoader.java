package dev.scoville.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import dev.scoville.rules.promql.PromQl;
import dev.scoville.rules.promql.PromQlException;
import dev.scoville.rules.promql.Query;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Turns rule groups, inline in Scoville's configuration or in Prometheus rule files, into alert
 * rules. Every rule that can't be loaded becomes one {@code file:line:column: reason}; the others
 * load regardless.
 */
final class RuleLoader {
  private final Predicate<String> knownPolicy;
  private final List<AlertRule> rules = new ArrayList<>();
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

  List<AlertRule> rules() {
    return rules;
  }

  List<String> problems() {
    return problems;
  }

  private void loadGroups(ConfigFile file, List<RulesConfig.Group> groups, Object... prefix) {
    for (int g = 0; g < groups.size(); g++) {
      List<JsonNode> groupRules = groups.get(g).rules();
      for (int r = 0; r < groupRules.size(); r++) {
        Object[] at = path(prefix, g, "rules", r);
        try {
          load(file, file.bind(groupRules.get(r), RulesConfig.Rule.class, at), at);
        } catch (ConfigException e) {
          problems.add(e.getMessage());
        }
      }
    }
  }

  private void load(ConfigFile file, RulesConfig.Rule rule, Object[] at) {
    if (rule.record() != null) {
      problems.add(file.place(at) + ": recording rule " + rule.record()
          + " is not supported: Scoville evaluates alerting rules only");
      return;
    }
    if (rule.alert() == null || rule.alert().isBlank()) {
      problems.add(file.place(at) + ": rule has no 'alert' name");
      return;
    }
    if (rule.expr() == null) {
      problems.add(file.place(at) + ": rule " + rule.alert() + " has no 'expr'");
      return;
    }
    if (rule.escalation() != null && !knownPolicy.test(rule.escalation())) {
      problems.add(file.place(path(at, "escalation")) + ": rule " + rule.alert() + " names escalation policy '"
          + rule.escalation() + "', which the escalation section does not define");
      return;
    }
    Query query = parse(file, rule, at, "expr", rule.expr());
    Query resolveWhen = rule.resolveWhen() == null ? null : parse(file, rule, at, "resolve_when", rule.resolveWhen());
    if (query == null || rule.resolveWhen() != null && resolveWhen == null) {
      return;
    }
    rules.add(new AlertRule(rule.alert(), query,
        new AlertRule.Lifecycle(rule.forDuration(), rule.keepFiringFor(), resolveWhen, rule.groupBy(), rule.flapWindow()),
        rule.labels(), rule.annotations(), new Handling(rule.escalation(), rule.runbook(), rule.actions())));
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
