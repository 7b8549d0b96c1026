package dev.scoville.contingency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {{name}}} placeholders in action templates. Values are substituted into strings only, so a
 * JSON body stays well-formed whatever an incident title contains.
 */
final class Template {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");
  static final Set<String> FIXED =
      Set.of("incident.id", "incident.title", "reason", "user", "action");

  private Template() {}

  static List<String> placeholders(String text) {
    List<String> names = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  static List<String> placeholders(JsonNode node) {
    List<String> names = new ArrayList<>();
    if (node == null) {
      return names;
    }
    if (node.isTextual()) {
      names.addAll(placeholders(node.textValue()));
    }
    node.fieldNames().forEachRemaining(f -> names.addAll(placeholders(f)));
    node.forEach(child -> names.addAll(placeholders(child)));
    return names;
  }

  /** Replaces placeholders with {@code escape}d values; unknown names become empty. */
  static String render(String text, Map<String, String> values, UnaryOperator<String> escape) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.getOrDefault(m.group(1), "");
      m.appendReplacement(out, Matcher.quoteReplacement(escape.apply(value)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Renders every string of a JSON template. A string that is nothing but the placeholder of an
   * integer parameter becomes a JSON number, so {@code count: "{{params.count}}"} sends 6, not "6".
   */
  static JsonNode render(JsonNode node, Map<String, String> values, Set<String> integers) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    if (node.isTextual()) {
      Matcher whole = PLACEHOLDER.matcher(node.textValue());
      if (whole.matches() && integers.contains(whole.group(1))) {
        return json.numberNode(Long.parseLong(values.get(whole.group(1))));
      }
      return json.textNode(render(node.textValue(), values, UnaryOperator.identity()));
    }
    if (node.isObject()) {
      ObjectNode object = json.objectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        object.set(
            render(field.getKey(), values, UnaryOperator.identity()),
            render(field.getValue(), values, integers));
      }
      return object;
    }
    if (node.isArray()) {
      ArrayNode array = json.arrayNode();
      node.forEach(child -> array.add(render(child, values, integers)));
      return array;
    }
    return node;
  }
}
