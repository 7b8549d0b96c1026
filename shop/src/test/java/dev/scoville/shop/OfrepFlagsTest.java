package dev.scoville.shop;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shop's flag client against a local server answering OFREP's bulk evaluation. */
class OfrepFlagsTest {
  private static final String BULK = """
      {"flags":[
        {"key":"payment-provider","value":"backup","reason":"STATIC","variant":"switched"},
        {"key":"simplified-site","value":false,"reason":"STATIC","variant":"off"},
        {"key":"gone","errorCode":"FLAG_NOT_FOUND"}]}""";

  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicReference<String> authorization = new AtomicReference<>();
  private final AtomicReference<String> requestBody = new AtomicReference<>();
  private HttpServer server;
  private final AtomicInteger failures = new AtomicInteger();
  private OfrepFlags flags;

  @AfterEach
  void stop() {
    flags.close();
    server.stop(0);
  }

  @Test
  void readsEveryFlagsValueWithTheBearerTokenAndKeepsThemWhileTheServiceFails() throws Exception {
    server = LoopbackHttpServer.create(0);
    server.createContext("/ofrep/v1/evaluate/flags", exchange -> {
      try (exchange) {
        authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
        requestBody.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        byte[] body = BULK.getBytes(StandardCharsets.UTF_8);
        int answer = status.get();
        exchange.sendResponseHeaders(answer, body.length);
        exchange.getResponseBody().write(body);
        if (answer != 200) {
          failures.incrementAndGet();
        }
      }
    });
    server.start();
    BlockingQueue<Map<String, String>> read = new LinkedBlockingQueue<>();
    URI bulk = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ofrep/v1/evaluate/flags");

    flags = OfrepFlags.poll(bulk, "shop-token", Duration.ofMillis(50), read::add);

    assertThat(read.poll(10, TimeUnit.SECONDS)).isEqualTo(Map.of("payment-provider", "backup", "simplified-site", "false"));
    assertThat(authorization.get()).isEqualTo("Bearer shop-token");
    assertThat(requestBody.get()).contains("\"context\"");
    status.set(503);
    // a poll answered before the failure may still be delivering: wait for a failed one first
    while (failures.get() < 2) {
      Thread.sleep(10);
    }
    read.clear();
    assertThat(read.poll(500, TimeUnit.MILLISECONDS)).as("nothing replaces the last values").isNull();
  }
}
