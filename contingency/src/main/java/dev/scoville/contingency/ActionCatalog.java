package dev.scoville.contingency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import dev.scoville.core.PrometheusDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The actions on-call can run, read from the config section {@code actions}. Every entry is checked
 * and every problem reported at once, each naming {@code file:line} and the field, so one typo does
 * not hide the next.
 */
public final class ActionCatalog {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final Set<String> COMMON =
      Set.of(
          "name",
          "title",
          "description",
          "kind",
          "parameters",
          "risk",
          "role",
          "second_approver",
          "cooldown",
          "timeout",
          "automatic_for");
  private static final Map<String, Set<String>> KIND_FIELDS =
      Map.of(
          "kill_switch", Set.of("flag", "value", "off"),
          "http", Set.of("method", "url", "headers", "body", "rollback"),
          "scale_out", Set.of("method", "url", "headers", "body", "rollback", "max_count"),
          "customer_message", Set.of("headline", "message"));

  private final Map<String, Action> actions;

  private ActionCatalog(Map<String, Action> actions) {
    this.actions = actions;
  }

  /** Reads the {@code actions} section; throws {@link ConfigException} listing every problem. */
  public static ActionCatalog fromConfig(ConfigFile config) {
    LocatedTree tree = config.section("actions", LocatedTree.class, LocatedTree.empty());
    return new Reader(config.source(), tree).read();
  }

  public List<Action> actions() {
    return List.copyOf(actions.values());
  }

  public Optional<Action> find(String name) {
    return Optional.ofNullable(actions.get(name));
  }

  public Set<String> names() {
    return actions.keySet();
  }

  /** Checks one section, collecting problems instead of throwing at the first. */
  private static final class Reader {
    private final String source;
    private final LocatedTree tree;
    private final List<String> problems = new ArrayList<>();

    Reader(String source, LocatedTree tree) {
      this.source = source;
      this.tree = tree;
    }

    ActionCatalog read() {
      if (!tree.root.isArray()) {
        problem("", "actions", "must be a list of actions");
        throw new ConfigException(String.join("\n", problems));
      }
      Map<String, Action> byName = new LinkedHashMap<>();
      Map<String, JsonNode> flagOffs = new HashMap<>();
      for (int i = 0; i < tree.root.size(); i++) {
        Action action = entry("/" + i, tree.root.get(i));
        if (action == null) {
          continue;
        }
        String at = "/" + i + "/name";
        if (byName.putIfAbsent(action.name(), action) != null) {
          problem(at, label(i, action.name()) + ".name", "another action already has this name");
        }
        if (action.kind() instanceof Action.KillSwitch k) {
          JsonNode earlier = flagOffs.putIfAbsent(k.flag(), k.off());
          if (earlier != null && !earlier.equals(k.off())) {
            problem(
                "/" + i + "/off",
                label(i, action.name()) + ".off",
                "flag " + k.flag() + " is off at " + earlier + " in another action");
          }
        }
      }
      if (!problems.isEmpty()) {
        throw new ConfigException(
            problems.size() + " problem(s) in actions:\n" + String.join("\n", problems));
      }
      return new ActionCatalog(byName);
    }

    private Action entry(String at, JsonNode node) {
      int index = Integer.parseInt(at.substring(1));
      if (!node.isObject()) {
        problem(at, "actions[" + index + "]", "must be a mapping with name, title, kind, risk…");
        return null;
      }
      int before = problems.size();
      String name = text(node, at, "name", "actions[" + index + "]", true);
      String label = label(index, name);
      if (name != null && !NAME.matcher(name).matches()) {
        problem(at + "/name", label + ".name", "use lowercase letters, digits and dashes");
      }
      String kindName = text(node, at, "kind", label, true);
      Set<String> kindFields = kindName == null ? null : KIND_FIELDS.get(kindName);
      if (kindName != null && kindFields == null) {
        problem(
            at + "/kind",
            label + ".kind",
            "unknown kind "
                + kindName
                + " (expected kill_switch, http, scale_out or customer_message)");
      }
      for (Iterator<String> fields = node.fieldNames(); fields.hasNext(); ) {
        String field = fields.next();
        if (!COMMON.contains(field) && (kindFields == null || !kindFields.contains(field))) {
          problem(
              at + "/" + field,
              label + "." + field,
              kindFields == null ? "unknown field" : "unknown field for kind " + kindName);
        }
      }
      String title = text(node, at, "title", label, true);
      String description = text(node, at, "description", label, false);
      Action.Risk risk = risk(node, at, label);
      Actor.Role role = role(node, at, label, risk);
      boolean secondApprover = secondApprover(node, at, label, risk);
      Duration cooldown = duration(node, at, "cooldown", label, Duration.ZERO);
      Duration timeout = duration(node, at, "timeout", label, DEFAULT_TIMEOUT);
      List<Action.Parameter> parameters = parameters(node, at, label);
      List<String> automaticFor = automaticFor(node, at, label, risk);
      if ("scale_out".equals(kindName)) {
        // the count is what a scale-out is about: always an integer, required unless defaulted
        Action.Parameter count =
            parameters.stream()
                .filter(p -> p.name().equals("count"))
                .findFirst()
                .orElse(new Action.Parameter("count", null, true, true));
        parameters.remove(count);
        parameters.add(new Action.Parameter("count", count.defaultValue(), true, true));
      }
      Action.Kind kind = kindFields == null ? null : kind(kindName, node, at, label, parameters);
      if (problems.size() > before) {
        return null;
      }
      return new Action(
          name,
          title,
          description == null ? "" : description,
          kind,
          parameters,
          risk,
          role,
          secondApprover,
          cooldown,
          timeout,
          automaticFor);
    }

    /** Rule names; only a low-risk action may run without a person pressing it. */
    private List<String> automaticFor(JsonNode node, String at, String label, Action.Risk risk) {
      JsonNode value = node.get("automatic_for");
      if (value == null) {
        return List.of();
      }
      List<String> rules = new ArrayList<>();
      if (value.isArray()) {
        value.forEach(rule -> rules.add(rule.isTextual() ? rule.asText() : ""));
      }
      if (!value.isArray() || rules.contains("")) {
        problem(at + "/automatic_for", label + ".automatic_for", "must be a list of rule names");
        return List.of();
      }
      if (risk != Action.Risk.LOW) {
        problem(at + "/automatic_for", label + ".automatic_for", "only low-risk actions run automatically");
        return List.of();
      }
      return rules;
    }

    private Action.Kind kind(
        String kind, JsonNode node, String at, String label, List<Action.Parameter> parameters) {
      Set<String> known = new HashSet<>(Template.FIXED);
      parameters.forEach(p -> known.add("params." + p.name()));
      switch (kind) {
        case "kill_switch":
          {
            String flag = text(node, at, "flag", label, true);
            JsonNode value = node.get("value");
            JsonNode off = node.get("off");
            if (value == null || !value.isValueNode() || value.isNull()) {
              problem(
                  at + (value == null ? "" : "/value"),
                  label + ".value",
                  "needs the value to serve while switched (true, a string or a number)");
              return null;
            }
            if (off == null && !value.isBoolean()) {
              problem(
                  at,
                  label + ".off",
                  "needs the value served while not switched (for a non-boolean value)");
              return null;
            }
            if (off != null && (!off.isValueNode() || off.isNull())) {
              problem(at + "/off", label + ".off", "must be true, false, a string or a number");
              return null;
            }
            JsonNode offValue =
                off != null ? off : JsonNodeFactory.instance.booleanNode(!value.booleanValue());
            return new Action.KillSwitch(flag, value, offValue);
          }
        case "http":
          return new Action.Http(call(node, at, label, known), rollback(node, at, label, known));
        case "scale_out":
          {
            JsonNode max = node.get("max_count");
            if (max == null
                || !max.canConvertToInt()
                || !max.isIntegralNumber()
                || max.intValue() < 1) {
              problem(
                  at + (max == null ? "" : "/max_count"),
                  label + ".max_count",
                  "needs the largest count this action may ask for (a positive integer)");
            }
            Action.HttpCall call = call(node, at, label, known);
            Optional<Action.HttpCall> rollback = rollback(node, at, label, known);
            return max == null ? null : new Action.ScaleOut(call, rollback, max.intValue());
          }
        default:
          {
            String headline = template(node, at, "headline", label, known);
            String message = template(node, at, "message", label, known);
            return new Action.CustomerMessage(headline, message);
          }
      }
    }

    private Optional<Action.HttpCall> rollback(
        JsonNode node, String at, String label, Set<String> known) {
      JsonNode rollback = node.get("rollback");
      if (rollback == null) {
        return Optional.empty();
      }
      if (!rollback.isObject()) {
        problem(
            at + "/rollback",
            label + ".rollback",
            "must be a mapping with method, url, headers, body");
        return Optional.empty();
      }
      for (Iterator<String> fields = rollback.fieldNames(); fields.hasNext(); ) {
        String field = fields.next();
        if (!Set.of("method", "url", "headers", "body").contains(field)) {
          problem(at + "/rollback/" + field, label + ".rollback." + field, "unknown field");
        }
      }
      return Optional.of(call(rollback, at + "/rollback", label + ".rollback", known));
    }

    private Action.HttpCall call(JsonNode node, String at, String label, Set<String> known) {
      String method = text(node, at, "method", label, false);
      method = method == null ? "POST" : method.toUpperCase(Locale.ROOT);
      if (!Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
        problem(at + "/method", label + ".method", "must be GET, POST, PUT, PATCH or DELETE");
      }
      String url = template(node, at, "url", label, known);
      if (url != null && !url.startsWith("http://") && !url.startsWith("https://")) {
        problem(at + "/url", label + ".url", "must start with http:// or https://");
      }
      Map<String, String> headers = new LinkedHashMap<>();
      JsonNode h = node.get("headers");
      if (h != null && !h.isObject()) {
        problem(at + "/headers", label + ".headers", "must be a mapping of header names to values");
      } else if (h != null) {
        h.fields()
            .forEachRemaining(
                e -> {
                  if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    problem(
                        at + "/headers/" + e.getKey(),
                        label + ".headers." + e.getKey(),
                        "must be a text value");
                  } else {
                    headers.put(e.getKey(), e.getValue().asText());
                    checkPlaceholders(
                        e.getValue().asText(),
                        at + "/headers/" + e.getKey(),
                        label + ".headers." + e.getKey(),
                        known);
                  }
                });
      }
      JsonNode body = node.get("body");
      if (body != null) {
        for (String p : Template.placeholders(body)) {
          if (!known.contains(p)) {
            problem(at + "/body", label + ".body", unknownPlaceholder(p));
          }
        }
      }
      return new Action.HttpCall(method, url == null ? "" : url, headers, body);
    }

    private String template(
        JsonNode node, String at, String field, String label, Set<String> known) {
      String text = text(node, at, field, label, true);
      if (text != null) {
        checkPlaceholders(text, at + "/" + field, label + "." + field, known);
      }
      return text;
    }

    private void checkPlaceholders(String text, String at, String label, Set<String> known) {
      for (String p : Template.placeholders(text)) {
        if (!known.contains(p)) {
          problem(at, label, unknownPlaceholder(p));
        }
      }
    }

    private static String unknownPlaceholder(String name) {
      return "unknown placeholder {{"
          + name
          + "}} (known: incident.id, incident.title, reason,"
          + " user, action, params.<parameter>)";
    }

    private List<Action.Parameter> parameters(JsonNode node, String at, String label) {
      List<Action.Parameter> parameters = new ArrayList<>();
      JsonNode list = node.get("parameters");
      if (list == null) {
        return parameters;
      }
      if (!list.isArray()) {
        problem(at + "/parameters", label + ".parameters", "must be a list");
        return parameters;
      }
      for (int i = 0; i < list.size(); i++) {
        String pAt = at + "/parameters/" + i;
        String pLabel = label + ".parameters[" + i + "]";
        JsonNode p = list.get(i);
        if (!p.isObject()) {
          problem(pAt, pLabel, "must be a mapping with name, default, required, type");
          continue;
        }
        p.fieldNames()
            .forEachRemaining(
                f -> {
                  if (!Set.of("name", "default", "required", "type").contains(f)) {
                    problem(pAt + "/" + f, pLabel + "." + f, "unknown field");
                  }
                });
        String name = text(p, pAt, "name", pLabel, true);
        JsonNode def = p.get("default");
        JsonNode required = p.get("required");
        if (required != null && !required.isBoolean()) {
          problem(pAt + "/required", pLabel + ".required", "must be true or false");
        }
        String type = text(p, pAt, "type", pLabel, false);
        if (type != null && !type.equals("string") && !type.equals("integer")) {
          problem(pAt + "/type", pLabel + ".type", "must be string or integer");
        }
        boolean integer = "integer".equals(type);
        String defaultValue = def == null || def.isNull() ? null : def.asText();
        if (integer && defaultValue != null && !defaultValue.matches("-?\\d+")) {
          problem(pAt + "/default", pLabel + ".default", "must be an integer");
        }
        if (name != null) {
          parameters.add(
              new Action.Parameter(
                  name, defaultValue, required != null && required.asBoolean(), integer));
        }
      }
      return parameters;
    }

    private Action.Risk risk(JsonNode node, String at, String label) {
      String risk = text(node, at, "risk", label, true);
      if (risk == null) {
        return null;
      }
      try {
        return Action.Risk.valueOf(risk.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problem(at + "/risk", label + ".risk", "must be low, medium or high");
        return null;
      }
    }

    private Actor.Role role(JsonNode node, String at, String label, Action.Risk risk) {
      String role = text(node, at, "role", label, false);
      Actor.Role defaultRole =
          risk == Action.Risk.HIGH ? Actor.Role.COMMANDER : Actor.Role.RESPONDER;
      if (role == null) {
        return defaultRole;
      }
      Actor.Role parsed;
      try {
        parsed = Actor.Role.valueOf(role.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problem(at + "/role", label + ".role", "must be responder or commander");
        return null;
      }
      if (risk == Action.Risk.HIGH && parsed != Actor.Role.COMMANDER) {
        problem(at + "/role", label + ".role", "a high-risk action needs role commander");
      }
      return parsed;
    }

    private boolean secondApprover(JsonNode node, String at, String label, Action.Risk risk) {
      JsonNode value = node.get("second_approver");
      if (value == null) {
        return risk == Action.Risk.HIGH;
      }
      if (!value.isBoolean()) {
        problem(at + "/second_approver", label + ".second_approver", "must be true or false");
        return false;
      }
      if (value.booleanValue() && risk != Action.Risk.HIGH) {
        problem(
            at + "/second_approver",
            label + ".second_approver",
            "only high-risk actions take a second approver");
      }
      return value.booleanValue();
    }

    private Duration duration(
        JsonNode node, String at, String field, String label, Duration absent) {
      JsonNode value = node.get(field);
      if (value == null) {
        return absent;
      }
      try {
        return PrometheusDuration.parse(value.asText().trim());
      } catch (IllegalArgumentException e) {
        problem(at + "/" + field, label + "." + field, e.getMessage());
        return absent;
      }
    }

    private String text(JsonNode node, String at, String field, String label, boolean required) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        if (required) {
          problem(at, label + "." + field, "is required");
        }
        return null;
      }
      if (!value.isValueNode() || value.asText().isBlank()) {
        problem(at + "/" + field, label + "." + field, "must be a non-empty text");
        return null;
      }
      return value.asText();
    }

    private void problem(String pointer, String field, String reason) {
      problems.add(source + ":" + tree.line(pointer) + ": " + field + ": " + reason);
    }

    private static String label(int index, String name) {
      return name == null ? "actions[" + index + "]" : "actions[" + index + "] (" + name + ")";
    }
  }
}
