package dev.scoville.core;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a parsed YAML document with {@code ${NAME}} in string values replaced by the environment.
 * Replacing after parsing is what keeps a secret whole: a {@code #}, {@code ": "} or quote in it
 * is part of the value, never YAML syntax. Keys, comments and numbers are left alone.
 */
final class EnvironmentSubstitution extends JsonParserDelegate {
  static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private final Map<String, String> values;
  private String substituted;

  EnvironmentSubstitution(JsonParser parser, Map<String, String> values) {
    super(parser);
    this.values = values;
  }

  /** {@code raw} with every reference replaced; every name in it must be in {@code values}. */
  static String expand(String raw, Map<String, String> values) {
    Matcher m = REFERENCE.matcher(raw);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(values.get(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  private JsonToken track(JsonToken token) throws IOException {
    substituted = null;
    if (token == JsonToken.VALUE_STRING) {
      String raw = delegate.getText();
      if (raw.contains("${")) {
        substituted = expand(raw, values);
      }
    }
    return token;
  }

  @Override
  public JsonToken nextToken() throws IOException {
    return track(delegate.nextToken());
  }

  @Override
  public JsonToken nextValue() throws IOException {
    return track(delegate.nextValue());
  }

  @Override
  public String nextTextValue() throws IOException {
    return nextToken() == JsonToken.VALUE_STRING ? getText() : null;
  }

  @Override
  public int nextIntValue(int defaultValue) throws IOException {
    return nextToken() == JsonToken.VALUE_NUMBER_INT ? getIntValue() : defaultValue;
  }

  @Override
  public long nextLongValue(long defaultValue) throws IOException {
    return nextToken() == JsonToken.VALUE_NUMBER_INT ? getLongValue() : defaultValue;
  }

  @Override
  public Boolean nextBooleanValue() throws IOException {
    JsonToken token = nextToken();
    return token == JsonToken.VALUE_TRUE ? Boolean.TRUE : token == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
  }

  @Override
  public String nextFieldName() throws IOException {
    String name = delegate.nextFieldName();
    substituted = null;
    return name;
  }

  @Override
  public JsonParser skipChildren() throws IOException {
    delegate.skipChildren();
    substituted = null;
    return this;
  }

  @Override
  public String getText() throws IOException {
    return substituted != null ? substituted : delegate.getText();
  }

  @Override
  public String getValueAsString() throws IOException {
    return substituted != null ? substituted : delegate.getValueAsString();
  }

  @Override
  public String getValueAsString(String defaultValue) throws IOException {
    return substituted != null ? substituted : delegate.getValueAsString(defaultValue);
  }

  @Override
  public boolean hasTextCharacters() {
    return substituted == null && delegate.hasTextCharacters();
  }

  @Override
  public char[] getTextCharacters() throws IOException {
    return substituted != null ? substituted.toCharArray() : delegate.getTextCharacters();
  }

  @Override
  public int getTextLength() throws IOException {
    return substituted != null ? substituted.length() : delegate.getTextLength();
  }

  @Override
  public int getTextOffset() throws IOException {
    return substituted != null ? 0 : delegate.getTextOffset();
  }

  @Override
  public int getText(java.io.Writer writer) throws IOException {
    String text = getText();
    writer.write(text);
    return text.length();
  }
}
