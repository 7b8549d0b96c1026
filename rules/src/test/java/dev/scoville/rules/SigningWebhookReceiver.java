package dev.scoville.rules;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver that does what README asks of one: recompute the signature over the
 * timestamp header and the raw body, compare in constant time, refuse a timestamp more than 5
 * minutes away; then read the JSON.
 */
final class SigningWebhookReceiver implements AutoCloseable {
  private final HttpServer server;
  private final String secret;
  private final Supplier<Instant> now;
  private final List<JsonObject> accepted = new CopyOnWriteArrayList<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();
  private final List<Integer> statuses = new CopyOnWriteArrayList<>();
  private final Deque<Integer> scripted = new ArrayDeque<>();

  private SigningWebhookReceiver(HttpServer server, String secret, Supplier<Instant> now) {
    this.server = server;
    this.secret = secret;
    this.now = now;
  }

  /** Checks signatures made with {@code secret}, and timestamps against {@code now}. */
  static SigningWebhookReceiver start(String secret, Supplier<Instant> now) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    SigningWebhookReceiver receiver = new SigningWebhookReceiver(server, secret, now);
    server.createContext("/hooks/scoville", receiver::handle);
    server.start();
    return receiver;
  }

  synchronized void answer(Integer... statuses) {
    scripted.addAll(List.of(statuses));
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String timestamp = exchange.getRequestHeaders().getFirst("X-Scoville-Timestamp");
    String signature = exchange.getRequestHeaders().getFirst("X-Scoville-Signature");
    int status;
    if (!exchange.getRequestMethod().equals("POST")
        || !"application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
      refused.add("not a JSON POST");
      status = 400;
    } else if (timestamp == null || signature == null
        || Math.abs(Long.parseLong(timestamp) - now.get().getEpochSecond()) > 300
        || !MessageDigest.isEqual(expected(timestamp, body), signature.getBytes(StandardCharsets.UTF_8))) {
      refused.add("bad signature " + signature + " at " + timestamp);
      status = 401;
    } else {
      synchronized (this) {
        status = scripted.isEmpty() ? 200 : scripted.poll();
      }
      if (status == 200) {
        accepted.add(new JsonObject(new String(body, StandardCharsets.UTF_8)));
      }
    }
    statuses.add(status);
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  private byte[] expected(String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return ("v1=" + HexFormat.of().formatHex(mac.doFinal(body))).getBytes(StandardCharsets.UTF_8);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  List<JsonObject> accepted() {
    return accepted;
  }

  List<String> refused() {
    return refused;
  }

  List<Integer> statuses() {
    return statuses;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/scoville");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
