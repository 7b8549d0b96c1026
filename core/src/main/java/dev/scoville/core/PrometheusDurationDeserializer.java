package dev.scoville.core;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.Duration;

final class PrometheusDurationDeserializer extends StdScalarDeserializer<Duration> {
  PrometheusDurationDeserializer() {
    super(Duration.class);
  }

  @Override
  public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
    String text = p.getValueAsString();
    try {
      return PrometheusDuration.parse(text == null ? "" : text.trim());
    } catch (IllegalArgumentException e) {
      return (Duration) ctx.handleWeirdStringValue(Duration.class, text, e.getMessage());
    }
  }
}
