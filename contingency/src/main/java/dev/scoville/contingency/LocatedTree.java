package dev.scoville.contingency;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A config section read as a plain tree plus the line of every node (by JSON pointer), so the
 * catalog can check every entry itself and report all problems with their lines instead of stopping
 * at the first one, as binding straight to records would.
 */
@JsonDeserialize(using = LocatedTree.Reader.class)
final class LocatedTree {
  final JsonNode root;
  private final Map<String, Integer> lines;

  private LocatedTree(JsonNode root, Map<String, Integer> lines) {
    this.root = root;
    this.lines = lines;
  }

  static LocatedTree empty() {
    return new LocatedTree(JsonNodeFactory.instance.arrayNode(), Map.of());
  }

  /** The line of the node at {@code pointer}, or of its nearest located parent. */
  int line(String pointer) {
    String p = pointer;
    while (true) {
      Integer line = lines.get(p);
      if (line != null || p.isEmpty()) {
        return line == null ? 0 : line;
      }
      p = p.substring(0, p.lastIndexOf('/'));
    }
  }

  static final class Reader extends JsonDeserializer<LocatedTree> {
    @Override
    public LocatedTree deserialize(JsonParser parser, DeserializationContext ctx)
        throws IOException {
      Map<String, Integer> lines = new HashMap<>();
      JsonNode root = read(parser, "", lines, ctx);
      return new LocatedTree(root, lines);
    }

    private static JsonNode read(
        JsonParser parser, String pointer, Map<String, Integer> lines, DeserializationContext ctx)
        throws IOException {
      // a field's line is where its key is, already recorded
      lines.putIfAbsent(pointer, parser.currentTokenLocation().getLineNr());
      JsonToken token = parser.currentToken();
      if (token == JsonToken.START_OBJECT) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          String child = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
          lines.put(child, parser.currentTokenLocation().getLineNr());
          parser.nextToken();
          object.set(name, read(parser, child, lines, ctx));
        }
        return object;
      }
      if (token == JsonToken.START_ARRAY) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        int i = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(read(parser, pointer + "/" + i++, lines, ctx));
        }
        return array;
      }
      return ctx.readTree(parser);
    }
  }
}
