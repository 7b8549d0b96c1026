package dev.scoville.collector.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads events of the JSON event schema with Jackson's streaming parser, one object at a time, into
 * {@link Event} records: {@link EventParser}'s reader for whatever {@link EventBytesReader} leaves
 * to it (escapes, non-ASCII text, nested unknown fields, invalid events, broken JSON), and the one
 * that words every refusal. An object is always read to its end, so an invalid event inside a batch
 * costs only itself; the first problem found is the one reported. Unknown fields are ignored, so
 * producers may add fields before Scoville knows them.
 *
 * <p>Not thread-safe (it reuses its scratch fields): one reader per thread or per call.
 */
final class JacksonEventReader {
  private static final JsonFactory JSON = new JsonFactory();

  private String type;
  private long time;
  private String shop;
  private String session;
  private String page;
  private String cart;
  private String order;
  private String provider;
  private String outcome;
  private String currency;
  private String sku;
  private String comment;
  private String topic;
  private double loadMs;
  private double amount;
  private double completionMs;
  private double level;
  private long jsErrors;
  private long score;
  private InvalidEventException problem;

  /** One event: a Kafka record's value. */
  Event parse(byte[] json) throws InvalidEventException {
    if (json == null || json.length == 0) {
      throw new InvalidEventException("empty", "empty record");
    }
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidEventException("not_an_object", "expected a JSON object");
      }
      Event event = readObject(p);
      if (p.nextToken() != null) {
        throw new InvalidEventException("malformed_json", "unexpected content after the event");
      }
      return event;
    } catch (JsonProcessingException e) {
      throw malformed(e);
    } catch (IOException e) {
      throw new InvalidEventException("malformed_json", e.getMessage());
    }
  }

  /**
   * A beacon batch: a JSON array of event objects. Malformed JSON refuses the whole batch (nothing
   * half-read is applied); an invalid event refuses only itself.
   */
  EventParser.Batch parseArray(byte[] json) throws InvalidEventException {
    List<Event> events = new ArrayList<>();
    List<EventParser.Rejection> rejections = new ArrayList<>();
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new InvalidEventException("not_an_array", "expected a JSON array of events");
      }
      int index = 0;
      for (JsonToken token = p.nextToken();
          token != JsonToken.END_ARRAY;
          token = p.nextToken(), index++) {
        if (token != JsonToken.START_OBJECT) {
          p.skipChildren();
          rejections.add(
              new EventParser.Rejection(
                  index, new InvalidEventException("not_an_object", "expected a JSON object")));
          continue;
        }
        try {
          events.add(readObject(p));
        } catch (InvalidEventException e) {
          rejections.add(new EventParser.Rejection(index, e));
        }
      }
      if (p.nextToken() != null) {
        throw new InvalidEventException("malformed_json", "unexpected content after the array");
      }
      return new EventParser.Batch(events, rejections);
    } catch (JsonProcessingException e) {
      throw malformed(e);
    } catch (IOException e) {
      throw new InvalidEventException("malformed_json", e.getMessage());
    }
  }

  private static InvalidEventException malformed(JsonProcessingException e) {
    var at = e.getLocation();
    String where = at == null ? "" : " at " + at.getLineNr() + ":" + at.getColumnNr();
    return new InvalidEventException(
        "malformed_json", "malformed JSON" + where + ": " + e.getOriginalMessage());
  }

  /** Reads from just after START_OBJECT to its END_OBJECT, then checks the event. */
  private Event readObject(JsonParser p) throws IOException, InvalidEventException {
    reset();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken token = p.nextToken();
      switch (name) {
        case "type" -> type = string(p, token, "type");
        case "time" -> time = instant(p, token);
        case "shop" -> shop = string(p, token, "shop");
        case "session" -> session = string(p, token, "session");
        case "page" -> page = string(p, token, "page");
        case "cart" -> cart = string(p, token, "cart");
        case "order" -> order = string(p, token, "order");
        case "provider" -> provider = string(p, token, "provider");
        case "outcome" -> outcome = string(p, token, "outcome");
        case "currency" -> currency = string(p, token, "currency");
        case "sku" -> sku = string(p, token, "sku");
        case "comment" -> comment = string(p, token, "comment");
        case "topic" -> topic = string(p, token, "topic");
        case "load_ms" -> loadMs = number(p, token, "load_ms");
        case "amount" -> amount = number(p, token, "amount");
        case "completion_ms" -> completionMs = number(p, token, "completion_ms");
        case "level" -> level = number(p, token, "level");
        case "js_errors" -> jsErrors = integer(p, token, "js_errors");
        case "score" -> score = integer(p, token, "score");
        default -> p.skipChildren();
      }
    }
    if (problem != null) {
      throw problem;
    }
    return build();
  }

  private void reset() {
    type =
        shop = session = page = cart = order = provider = outcome = currency = sku = comment = topic = null;
    time = Long.MIN_VALUE;
    loadMs = amount = completionMs = level = Double.NaN;
    jsErrors = score = Long.MIN_VALUE;
    problem = null;
  }

  private Event build() throws InvalidEventException {
    String t = required(type, "type");
    if (time == Long.MIN_VALUE) {
      throw missing("time");
    }
    String s = shop == null ? "" : shop;
    return switch (t) {
      case "page_view" ->
          new Event.PageView(
              s,
              time,
              SessionSketch.hash(required(session, "session")),
              required(page, "page"),
              nonNegative(loadMs, "load_ms", true),
              (int) Math.min(Integer.MAX_VALUE, nonNegative(jsErrors, "js_errors", false)));
      case "cart_created" -> {
        required(session, "session");
        required(cart, "cart");
        yield new Event.CartCreated(s, time);
      }
      case "checkout_started" -> {
        required(session, "session");
        required(cart, "cart");
        yield new Event.CheckoutStarted(s, time);
      }
      case "payment_result" -> {
        required(order, "order");
        yield new Event.PaymentResult(
            s, time, required(provider, "provider"), success(required(outcome, "outcome")));
      }
      case "order_placed" -> {
        required(session, "session");
        required(order, "order");
        yield new Event.OrderPlaced(
            s,
            time,
            nonNegative(amount, "amount", true),
            required(currency, "currency"),
            Double.isNaN(completionMs)
                ? Double.NaN
                : nonNegative(completionMs, "completion_ms", true));
      }
      case "inventory_level" ->
          new Event.InventoryLevel(s, time, required(sku, "sku"), finite(level, "level"));
      case "feedback" -> {
        if (score == Long.MIN_VALUE) {
          throw missing("score");
        }
        if (score < 1 || score > 5) {
          throw invalid("score", "must be an integer from 1 to 5, not " + score);
        }
        yield new Event.Feedback(s, time, (int) score, comment == null ? "" : comment,
            page == null ? "" : page, topic == null ? "" : topic);
      }
      default ->
          throw new InvalidEventException(
              "unknown_type",
              "field 'type': unknown type '"
                  + t
                  + "' (expected page_view, cart_created, checkout_started, payment_result,"
                  + " order_placed, inventory_level or feedback)");
    };
  }

  private String string(JsonParser p, JsonToken token, String field) throws IOException {
    if (token == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    fail(invalid(field, "must be a string"));
    p.skipChildren();
    return null;
  }

  private double number(JsonParser p, JsonToken token, String field) throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getDoubleValue();
    }
    fail(invalid(field, "must be a number"));
    p.skipChildren();
    return Double.NaN;
  }

  private long integer(JsonParser p, JsonToken token, String field) throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT
        && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return p.getLongValue();
    }
    fail(invalid(field, "must be an integer"));
    p.skipChildren();
    return Long.MIN_VALUE;
  }

  private long instant(JsonParser p, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_STRING) {
      long millis =
          Iso8601.parseMillis(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
      if (millis != Long.MIN_VALUE) {
        return millis;
      }
    }
    fail(invalid("time", "must be an ISO-8601 date-time with a zone, like 2026-11-23T12:00:00Z"));
    p.skipChildren();
    return Long.MIN_VALUE;
  }

  private void fail(InvalidEventException e) {
    if (problem == null) {
      problem = e;
    }
  }

  private static String required(String value, String field) throws InvalidEventException {
    if (value == null) {
      throw missing(field);
    }
    if (value.isEmpty()) {
      throw invalid(field, "must not be empty");
    }
    return value;
  }

  private static double finite(double value, String field) throws InvalidEventException {
    if (Double.isNaN(value)) {
      throw missing(field);
    }
    if (Double.isInfinite(value)) {
      throw invalid(field, "must be a finite number");
    }
    return value;
  }

  private static double nonNegative(double value, String field, boolean required)
      throws InvalidEventException {
    if (Double.isNaN(value)) {
      if (required) {
        throw missing(field);
      }
      return 0;
    }
    if (value < 0 || Double.isInfinite(value)) {
      throw invalid(field, "must be a non-negative number, not " + value);
    }
    return value;
  }

  private static long nonNegative(long value, String field, boolean required)
      throws InvalidEventException {
    if (value == Long.MIN_VALUE) {
      if (required) {
        throw missing(field);
      }
      return 0;
    }
    if (value < 0) {
      throw invalid(field, "must be a non-negative integer, not " + value);
    }
    return value;
  }

  private static boolean success(String outcome) throws InvalidEventException {
    return switch (outcome) {
      case "success" -> true;
      case "failure" -> false;
      default -> throw invalid("outcome", "must be success or failure, not '" + outcome + "'");
    };
  }

  private static InvalidEventException missing(String field) {
    return new InvalidEventException("missing_" + field, "missing field '" + field + "'");
  }

  private static InvalidEventException invalid(String field, String why) {
    return new InvalidEventException("invalid_" + field, "field '" + field + "' " + why);
  }
}
