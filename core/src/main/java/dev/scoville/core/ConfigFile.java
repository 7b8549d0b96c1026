package dev.scoville.core;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Scoville's one YAML configuration file. Each module binds its own top-level section to its own
 * records, so core knows nothing of their shape. {@code ${NAME}} in a value is replaced by the
 * environment variable NAME, which is how secrets get in without being written down. It is
 * replaced in the parsed value, never in the text, and no error this class reports shows a
 * replaced value: an error shows the {@code ${NAME}} it came from.
 */
public final class ConfigFile {
  private static final Pattern FIELD_REASON = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*): (.+)", Pattern.DOTALL);

  private static final Pattern EXPECTED_TYPE = Pattern.compile("^Cannot deserialize value of type `([^`]+)`");

  private final String source;
  private final String text;
  /** The environment variables the file names, with their values. */
  private final Map<String, String> environment;
  private final ObjectMapper mapper;

  private ConfigFile(String source, String text, Map<String, String> environment) {
    this.source = source;
    this.text = text;
    this.environment = environment;
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
    ConfigFile raw = new ConfigFile(source, text, Map.of());
    return new ConfigFile(source, text, raw.readReferences(environment));
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
          return mapper.readValue(new EnvironmentSubstitution(parser, environment), type);
        }
        parser.skipChildren();
      }
      return absent;
    } catch (JsonMappingException e) {
      throw mappingProblem(e, key);
    } catch (JsonProcessingException e) {
      throw new ConfigException(place(e.getLocation()) + ": " + redact(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ConfigException(source + ": " + redact(e.getMessage()));
    }
  }

  /**
   * Stops the start on a top-level section nobody reads, such as {@code survers:} or {@code
   * escalations:}: a misspelt section would otherwise be silently ignored.
   */
  public void requireKnownSections(Set<String> known) {
    try (JsonParser parser = mapper.getFactory().createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        if (!known.contains(name)) {
          throw new ConfigException(place(parser.currentTokenLocation()) + ": unknown section \"" + name
              + "\"" + closest(name, known).map(c -> " (did you mean \"" + c + "\"?)").orElse("")
              + "; known sections: " + String.join(", ", new TreeSet<>(known)));
        }
        parser.nextToken();
        parser.skipChildren();
      }
    } catch (IOException e) {
      throw new ConfigException(source + ": " + e.getMessage());
    }
  }

  /**
   * {@code message} with every value that came from the environment shown as its {@code ${NAME}}.
   * For the reason part of a message: a short value would also match inside {@code file:line}.
   */
  public String redact(String message) {
    String out = message;
    for (Map.Entry<String, String> variable : environment.entrySet()) {
      String value = variable.getValue();
      if (!value.isEmpty()) {
        String reference = "${" + variable.getKey() + "}";
        out = out.replace(value, reference);
        // Jackson quotes values in its messages, escaping them as JSON does.
        String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(value));
        out = out.replace(escaped, reference);
      }
    }
    return out;
  }

  /**
   * A whole error message (from any module) as it may be shown: its leading {@code file:line:column}
   * kept, every environment value in the rest shown as its {@code ${NAME}}.
   */
  public String redactMessage(String message) {
    Matcher place = Pattern.compile("^" + Pattern.quote(source) + "(:\\d+)*: ").matcher(message);
    return place.find() ? place.group() + redact(message.substring(place.end())) : redact(message);
  }

  private static Optional<String> closest(String name, Set<String> known) {
    return known.stream().filter(k -> distance(k, name) <= 2).min(Comparator.comparingInt(k -> distance(k, name)));
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int[] current = new int[b.length() + 1];
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      previous = current;
    }
    return previous[b.length()];
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
      throw new ConfigException(place(path) + ": " + redact(e.getOriginalMessage()));
    }
  }

  private ConfigException mappingProblem(JsonMappingException e, Object... prefix) {
    // The YAML parser's own location runs ahead of the token at fault; the path does not.
    List<Object> path = new ArrayList<>(List.of(prefix));
    e.getPath().forEach(ref -> path.add(ref.getFieldName() != null ? ref.getFieldName() : ref.getIndex()));
    String reason = e.getOriginalMessage().lines().findFirst().orElse("invalid");
    if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException invalid) {
      // A record refusing a value says "field: why"; the place is then that field's.
      reason = invalid.getMessage();
      Matcher field = FIELD_REASON.matcher(reason);
      if (field.matches() && !place(append(path, field.group(1))).equals(source)) {
        path.add(field.group(1));
        reason = field.group(2);
      }
    }
    List<String> variables = referencesAt(path.toArray());
    if (!variables.isEmpty() && !(e instanceof ValueInstantiationException)) {
      // Jackson's reason quotes the value, trimmed or cut as it sees fit: name the variable alone.
      Matcher type = EXPECTED_TYPE.matcher(reason);
      reason = "the value of " + variables.stream().map(v -> "${" + v + "}").collect(Collectors.joining(", "))
          + " is not valid here" + (type.find() ? " (expected " + type.group(1) + ")" : "");
    }
    String place = place(path.toArray());
    String where = path.get(0) + path.stream().skip(1)
        .map(step -> step instanceof Integer index ? "[" + index + "]" : "." + step).collect(Collectors.joining());
    // No cause kept: Jackson's own message may carry a value that came from the environment.
    return new ConfigException((place.equals(source) ? place(e.getLocation()) : place) + ": " + where + ": "
        + redact(reason));
  }

  /** The variables the scalar at {@code path} names as written, none when it is no scalar. */
  private List<String> referencesAt(Object... path) {
    try (JsonParser parser = mapper.getFactory().createParser(text)) {
      parser.nextToken();
      for (Object step : path) {
        if (!advanceTo(parser, step)) {
          return List.of();
        }
      }
      if (parser.currentToken() != JsonToken.VALUE_STRING) {
        return List.of();
      }
      return EnvironmentSubstitution.REFERENCE.matcher(parser.getText()).results().map(m -> m.group(1)).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static Object[] append(List<Object> path, Object step) {
    List<Object> longer = new ArrayList<>(path);
    longer.add(step);
    return longer.toArray();
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

  /** Reads the whole file (the well-formedness check) and the value of every variable it names. */
  private Map<String, String> readReferences(Function<String, String> lookup) {
    Map<String, String> values = new HashMap<>();
    try (JsonParser parser = mapper.getFactory().createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first != null && first != JsonToken.START_OBJECT) {
        throw new ConfigException(place(parser.currentTokenLocation()) + ": expected a mapping of sections");
      }
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token != JsonToken.VALUE_STRING) {
          continue;
        }
        Matcher m = EnvironmentSubstitution.REFERENCE.matcher(parser.getText());
        while (m.find()) {
          String value = lookup.apply(m.group(1));
          if (value == null) {
            throw new ConfigException(place(parser.currentTokenLocation()) + ": environment variable "
                + m.group(1) + " is not set");
          }
          values.put(m.group(1), value);
        }
      }
    } catch (JsonProcessingException e) {
      // The text as written: it names variables, it holds none of their values.
      throw new ConfigException(place(e.getLocation()) + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ConfigException(source + ": " + e.getMessage(), e);
    }
    return Map.copyOf(values);
  }

  private String place(JsonLocation location) {
    if (location == null || location.getLineNr() < 0) {
      return source;
    }
    return source + ":" + location.getLineNr() + ":" + location.getColumnNr();
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
