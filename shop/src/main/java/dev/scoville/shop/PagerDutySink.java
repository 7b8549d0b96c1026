package dev.scoville.shop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A local stand-in for PagerDuty's Events API v2 ({@code POST /v2/enqueue}): it checks each event
 * as PagerDuty documents it, answers 202 or 400 the same way, and keeps what it accepted so that
 * the demo can show a page being sent without an account, and tests can assert on it (the newest
 * {@value #CAPACITY}).
 */
public final class PagerDutySink implements AutoCloseable {
  private static final Set<String> ACTIONS = Set.of("trigger", "acknowledge", "resolve");
  private static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");
  /**
   * How many of the newest events it keeps: the demo runs for days and the alert latency harness
   * sends over 100,000 events, each a Jackson tree that would otherwise stay in the heap.
   */
  private static final int CAPACITY = 10_000;

  /** One accepted event and when it arrived. */
  public record ReceivedEvent(Instant receivedAt, JsonNode body) {
    public String eventAction() {
      return body.path("event_action").asText();
    }

    public String dedupKey() {
      return body.path("dedup_key").asText();
    }

    public String summary() {
      return body.path("payload").path("summary").asText("");
    }
  }

  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer http;
  /**
   * In arrival order. Not a copy-on-write list: every event copied all those before it, 40 KB an
   * event at 20,000, which the alert latency harness counted as Scoville's CPU.
   */
  private final Queue<ReceivedEvent> received = new ConcurrentLinkedQueue<>();
  private final int capacity;
  /**
   * The queue's length (ConcurrentLinkedQueue counts by walking it), touched only by the server's
   * one dispatcher thread, the only thread that adds and trims.
   */
  private int size;
  private final List<Consumer<ReceivedEvent>> listeners = new CopyOnWriteArrayList<>();

  private PagerDutySink(HttpServer http, int capacity) {
    this.http = http;
    this.capacity = capacity;
  }

  public static PagerDutySink start(int port) throws IOException {
    return start(port, CAPACITY);
  }

  static PagerDutySink start(int port, int capacity) throws IOException {
    HttpServer http = LoopbackHttpServer.create(port);
    PagerDutySink sink = new PagerDutySink(http, capacity);
    http.createContext("/v2/enqueue", sink::enqueue);
    http.start();
    return sink;
  }

  /** The full events URL to give a PagerDuty client. */
  public URI eventsUri() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/v2/enqueue");
  }

  public List<ReceivedEvent> received() {
    return List.copyOf(received);
  }

  public void onEvent(Consumer<ReceivedEvent> listener) {
    listeners.add(listener);
  }

  private void enqueue(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("POST")) {
        respond(exchange, 405, error("method not allowed", List.of()));
        return;
      }
      JsonNode body;
      try {
        body = json.readTree(exchange.getRequestBody());
      } catch (IOException e) {
        respond(exchange, 400, error("invalid event", List.of("body is not JSON")));
        return;
      }
      List<String> errors = validate(body);
      if (!errors.isEmpty()) {
        respond(exchange, 400, error("invalid event", errors));
        return;
      }
      String dedupKey = body.path("dedup_key").asText(UUID.randomUUID().toString().replace("-", ""));
      ReceivedEvent event = new ReceivedEvent(Instant.now(), body);
      received.add(event);
      if (++size > capacity) {
        received.poll();
        size--;
      }
      listeners.forEach(l -> l.accept(event));
      ObjectNode answer = json.createObjectNode()
          .put("status", "success").put("message", "Event processed").put("dedup_key", dedupKey);
      respond(exchange, 202, answer);
    }
  }

  /** The checks PagerDuty documents for Events API v2, in its words where it has them. */
  static List<String> validate(JsonNode body) {
    List<String> errors = new ArrayList<>();
    if (!body.isObject()) {
      return List.of("event must be a JSON object");
    }
    if (body.path("routing_key").asText("").length() != 32) {
      errors.add("'routing_key' must be a 32 character integration key");
    }
    String action = body.path("event_action").asText("");
    if (!ACTIONS.contains(action)) {
      errors.add("'event_action' must be one of trigger, acknowledge, resolve");
    }
    JsonNode dedupKey = body.path("dedup_key");
    if (!action.equals("trigger") && dedupKey.asText("").isEmpty()) {
      errors.add("'dedup_key' is required for " + action);
    }
    if (dedupKey.asText("").length() > 255) {
      errors.add("'dedup_key' must be at most 255 characters");
    }
    if (action.equals("trigger")) {
      JsonNode payload = body.path("payload");
      String summary = payload.path("summary").asText("");
      if (summary.isEmpty() || summary.length() > 1024) {
        errors.add("'payload.summary' is required and at most 1024 characters");
      }
      if (payload.path("source").asText("").isEmpty()) {
        errors.add("'payload.source' is required");
      }
      if (!SEVERITIES.contains(payload.path("severity").asText(""))) {
        errors.add("'payload.severity' must be one of critical, error, warning, info");
      }
      JsonNode timestamp = payload.path("timestamp");
      if (!timestamp.isMissingNode() && !timestamp.isNull()) {
        try {
          // ISO 8601 lets seconds go unwritten, and Java's OffsetDateTime.toString does just that.
          OffsetDateTime.parse(timestamp.asText());
        } catch (DateTimeParseException e) {
          errors.add("'payload.timestamp' must be an ISO 8601 timestamp");
        }
      }
    }
    return errors;
  }

  private ObjectNode error(String message, List<String> errors) {
    ObjectNode node = json.createObjectNode().put("status", message).put("message", "Event object is invalid");
    errors.forEach(node.putArray("errors")::add);
    return node;
  }

  private void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
