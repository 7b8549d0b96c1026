package dev.scoville.shop;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A business or user-experience event as the shop emits it: {@code type}, {@code time} and the
 * fields of that type (e.g. {@code page_view} has {@code page}, {@code load_ms}, {@code js_errors}).
 */
public record ShopEvent(String type, Instant time, Map<String, Object> fields) {

  public ShopEvent {
    fields = Map.copyOf(fields);
  }

  /** The event as one JSON object's fields: type and time first. */
  public Map<String, Object> asJsonObject() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("type", type);
    json.put("time", time.toString());
    json.putAll(fields);
    return json;
  }
}
