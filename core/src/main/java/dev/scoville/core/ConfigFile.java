package dev.scoville.core;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Scoville's one YAML configuration file. Each module binds its own top-level section to its own
 * records, so core knows nothing of their shape. {@code ${NAME}} is replaced by the environment
 * variable NAME, which is how secrets get in without being written down.
 */
public final class ConfigFile {
  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private final String source;
  private final String text;
  private final ObjectMapper mapper;

  private ConfigFile(String source, String text) {
    this.source = source;
    this.text = text;
    this.mapper = mapper();
  }

  public static ConfigFile load(Path path) {
    try {
      return parse(path.toString(), Files.readString(path), System::getenv);
    } catch (IOException e) {
      throw new ConfigException(path + ": cannot read: " + e.getMessage(), e);
    }
  }

  public static ConfigFile loadResource(String name) {
    try (InputStream in = ConfigFile.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new ConfigException(name + ": no such resource");
      }
      return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8), System::getenv);
    } catch (IOException e) {
      throw new ConfigException(name + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** A configuration from text; {@code environment} resolves {@code ${NAME}} references. */
  public static ConfigFile parse(String source, String text, Function<String, String> environment) {
    String[] lines = text.split("\n", -1);
    StringBuilder expanded = new StringBuilder(text.length());
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      Matcher m = ENV_REFERENCE.matcher(line);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        // Commented-out references are not worth failing for.
        if (line.substring(0, m.start()).contains("#")) {
          break;
        }
        String value = environment.apply(m.group(1));
        if (value == null) {
          throw new ConfigException(
              source + ":" + (i + 1) + ":" + (m.start() + 1) + ": environment variable "
                  + m.group(1) + " is not set");
        }
        m.appendReplacement(out, Matcher.quoteReplacement(value));
      }
      m.appendTail(out);
      expanded.append(out);
      if (i < lines.length - 1) {
        expanded.append('\n');
      }
    }
    ConfigFile file = new ConfigFile(source, expanded.toString());
    file.checkWellFormed();
    return file;
  }

  public String source() {
    return source;
  }

  /**
   * Binds the top-level key {@code key} to {@code type}; returns {@code absent} when the file has
   * no such key. Unknown keys and wrong types fail with the file, line and field.
   */
  public <T> T section(String key, Class<T> type, T absent) {
    try (JsonParser parser = mapper.getFactory().createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return absent;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals(key)) {
          if (value == JsonToken.VALUE_NULL) {
            return absent;
          }
          return mapper.readValue(parser, type);
        }
        parser.skipChildren();
      }
      return absent;
    } catch (JsonMappingException e) {
      throw mappingProblem(e, key);
    } catch (JsonProcessingException e) {
      throw new ConfigException(place(e.getLocation()) + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ConfigException(source + ": " + e.getMessage(), e);
    }
  }

  /**
   * Binds a part of a section kept unbound ({@code JsonNode}) so that one bad entry, such as a
   * rule, fails alone; {@code path} is where the node stands, for the error's place.
   */
  public <T> T bind(JsonNode node, Class<T> type, Object... path) {
    try {
      return mapper.treeToValue(node, type);
    } catch (JsonMappingException e) {
      throw mappingProblem(e, path);
    } catch (JsonProcessingException e) {
      throw new ConfigException(place(path) + ": " + e.getOriginalMessage(), e);
    }
  }

  private ConfigException mappingProblem(JsonMappingException e, Object... prefix) {
    // The YAML parser's own location runs ahead of the token at fault; the path does not.
    List<Object> path = new ArrayList<>(List.of(prefix));
    e.getPath().forEach(ref -> path.add(ref.getFieldName() != null ? ref.getFieldName() : ref.getIndex()));
    String place = place(path.toArray());
    String where = prefix[0] + Stream.of(prefix).skip(1)
        .map(step -> step instanceof Integer index ? "[" + index + "]" : "." + step).collect(Collectors.joining());
    return new ConfigException((place.equals(source) ? place(e.getLocation()) : place) + ": " + where
        + describePath(e) + ": " + e.getOriginalMessage().lines().findFirst().orElse("invalid"), e);
  }

  /**
   * Where a value stands in the file, as {@code file:line:column}, for errors found after
   * binding (e.g. an invalid expression). The path mixes field names and list indexes: {@code
   * place("rules", "groups", 0, "rules", 2, "expr")}. Falls back to the file name alone.
   */
  public String place(Object... path) {
    try (JsonParser parser = mapper.getFactory().createParser(text)) {
      parser.nextToken();
      for (Object step : path) {
        if (!advanceTo(parser, step)) {
          return source;
        }
      }
      return place(parser.currentTokenLocation());
    } catch (IOException e) {
      return source;
    }
  }

  /** Moves from the start of a container to the value at {@code step} inside it. */
  private static boolean advanceTo(JsonParser parser, Object step) throws IOException {
    if (step instanceof Integer index && parser.currentToken() == JsonToken.START_ARRAY) {
      for (int i = 0; ; i++) {
        JsonToken token = parser.nextToken();
        if (token == null || token == JsonToken.END_ARRAY) {
          return false;
        }
        if (i == index) {
          return true;
        }
        parser.skipChildren();
      }
    }
    if (step instanceof String name && parser.currentToken() == JsonToken.START_OBJECT) {
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        if (field.equals(name)) {
          return true;
        }
        parser.skipChildren();
      }
    }
    return false;
  }

  private void checkWellFormed() {
    try (JsonParser parser = mapper.getFactory().createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first != null && first != JsonToken.START_OBJECT) {
        throw new ConfigException(place(parser.currentTokenLocation()) + ": expected a mapping of sections");
      }
      while (parser.nextToken() != null) {
        // reading to the end is the check
      }
    } catch (JsonProcessingException e) {
      throw new ConfigException(place(e.getLocation()) + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ConfigException(source + ": " + e.getMessage(), e);
    }
  }

  private String place(JsonLocation location) {
    if (location == null || location.getLineNr() < 0) {
      return source;
    }
    return source + ":" + location.getLineNr() + ":" + location.getColumnNr();
  }

  private static String describePath(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining());
  }

  private static ObjectMapper mapper() {
    SimpleModule durations = new SimpleModule("prometheus-durations");
    durations.addDeserializer(Duration.class, new PrometheusDurationDeserializer());
    return new ObjectMapper(new YAMLFactory())
        .registerModule(durations)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
  }

  /** For tests and tools that build a file from a map of environment variables. */
  public static ConfigFile parse(String source, String text, Map<String, String> environment) {
    return parse(source, text, environment::get);
  }
}
