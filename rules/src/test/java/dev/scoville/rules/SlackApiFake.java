package dev.scoville.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Slack's Web API methods {@code chat.postMessage} and {@code chat.update}:
 * reads the form-encoded (or JSON) bodies the SDK sends, requires {@code Authorization: Bearer},
 * answers as Slack documents ({@code {"ok":true,"channel":..,"ts":..}}), and can be told to
 * answer the next calls with a 429, a 5xx or an {@code ok:false} error.
 */
final class SlackApiFake implements AutoCloseable {
  static final String CHANNEL_ID = "C0WARROOM";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final List<Call> calls = new ArrayList<>();
  private final Deque<Answer> scripted = new ArrayDeque<>();
  private final AtomicInteger nextTs = new AtomicInteger(1);
  private final Map<String, String> channelIds = new HashMap<>();
  /** The messages posted to the one channel, oldest first, with their metadata (JSON) if any. */
  private final List<ObjectNode> history = new ArrayList<>();
  private final java.util.concurrent.CountDownLatch stalledPost = new java.util.concurrent.CountDownLatch(1);
  private volatile long stallNextPostMillis;

  /** One method call as Slack would see it. */
  record Call(String method, String authorization, Map<String, String> params) {
    String param(String name) {
      return params.get(name);
    }

    JsonNode blocks() {
      try {
        return JSON.readTree(params.get("blocks"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The action ids of the message's buttons. */
    List<String> actionIds() {
      List<String> ids = new ArrayList<>();
      blocks().forEach(b -> b.path("elements").forEach(e -> {
        if (e.has("action_id")) {
          ids.add(e.path("action_id").asText());
        }
      }));
      return ids;
    }
  }

  private record Answer(int status, String retryAfter, String body) {}

  private SlackApiFake(HttpServer server) {
    this.server = server;
  }

  static SlackApiFake start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    SlackApiFake fake = new SlackApiFake(server);
    server.createContext("/api/", fake::handle);
    // A stalled answer must not hold up the calls after it.
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    return fake;
  }

  URI methodsUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/");
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /**
   * Takes the next chat.postMessage (the message is in the channel) but answers it only after
   * {@code millis}, as a Slack whose answer is lost on the way.
   */
  void stallNextPost(long millis) {
    stallNextPostMillis = millis;
  }

  /** Waits until a stalled chat.postMessage has been taken. */
  boolean awaitStalledPost(long millis) throws InterruptedException {
    return stalledPost.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** How many messages the channel holds (replies in threads included). */
  synchronized int messages() {
    return history.size();
  }

  synchronized void answerNext(int status, String retryAfter, String body) {
    scripted.add(new Answer(status, retryAfter, body));
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestURI().getPath().substring("/api/".length());
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
    Map<String, String> params = contentType.startsWith("application/json") ? json(body) : form(body);
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    Answer answer;
    synchronized (this) {
      calls.add(new Call(method, authorization, params));
      answer = scripted.poll();
    }
    if (answer == null) {
      synchronized (this) {
        answer = answer(method, authorization, params);
      }
      long stall = stallNextPostMillis;
      if (method.equals("chat.postMessage") && stall > 0) {
        stallNextPostMillis = 0;
        stalledPost.countDown();
        try {
          Thread.sleep(stall);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    if (answer.retryAfter() != null) {
      exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
    }
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private Answer answer(String method, String authorization, Map<String, String> params) {
    if (authorization == null || !authorization.startsWith("Bearer xoxb-")) {
      return ok(false, Map.of("error", "not_authed"));
    }
    return switch (method) {
      case "chat.postMessage" -> {
        String channel = params.get("channel");
        if (channel == null || params.get("blocks") == null && params.get("text") == null) {
          yield ok(false, Map.of("error", channel == null ? "channel_not_found" : "no_text"));
        }
        String ts = "1764234000." + String.format("%06d", nextTs.getAndIncrement());
        channelIds.put(ts, CHANNEL_ID);
        ObjectNode message = JSON.createObjectNode().put("type", "message").put("ts", ts)
            .put("text", String.valueOf(params.get("text")));
        if (params.get("metadata") != null) {
          message.set("metadata", readTree(params.get("metadata")));
        }
        history.add(message);
        yield ok(true, Map.of("channel", CHANNEL_ID, "ts", ts));
      }
      case "chat.update" -> {
        // Slack edits only a message it knows, addressed by the channel's id.
        if (!CHANNEL_ID.equals(params.get("channel")) || !channelIds.containsKey(params.get("ts"))) {
          yield ok(false, Map.of("error", "message_not_found"));
        }
        yield ok(true, Map.of("channel", CHANNEL_ID, "ts", params.get("ts")));
      }
      case "conversations.list" -> {
        ObjectNode node = JSON.createObjectNode().put("ok", true);
        node.putArray("channels").addObject().put("id", CHANNEL_ID).put("name", "war-room");
        node.putObject("response_metadata").put("next_cursor", "");
        yield new Answer(200, null, node.toString());
      }
      case "conversations.history" -> {
        if (!CHANNEL_ID.equals(params.get("channel"))) {
          yield ok(false, Map.of("error", "channel_not_found"));
        }
        ObjectNode node = JSON.createObjectNode().put("ok", true).put("has_more", false);
        var messages = node.putArray("messages");
        // Newest first, as Slack answers; metadata only when asked for.
        for (int i = history.size() - 1; i >= 0; i--) {
          ObjectNode message = history.get(i).deepCopy();
          if (!"true".equals(params.get("include_all_metadata")) && !"1".equals(params.get("include_all_metadata"))) {
            message.remove("metadata");
          }
          messages.add(message);
        }
        yield new Answer(200, null, node.toString());
      }
      default -> ok(false, Map.of("error", "unknown_method"));
    };
  }

  private static Answer ok(boolean ok, Map<String, String> fields) {
    ObjectNode node = JSON.createObjectNode().put("ok", ok);
    fields.forEach(node::put);
    return new Answer(200, null, node.toString());
  }

  private static JsonNode readTree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> params = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return params;
  }

  private static Map<String, String> json(String body) throws IOException {
    Map<String, String> params = new HashMap<>();
    JSON.readTree(body).fields().forEachRemaining(e ->
        params.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
    return params;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
