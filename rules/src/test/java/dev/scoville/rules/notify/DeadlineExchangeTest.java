package dev.scoville.rules.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A receiver that answers, and one that sends its headers and then only part of its body. */
class DeadlineExchangeTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ok", exchange -> {
      byte[] body = "{\"status\":\"success\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(202, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.createContext("/trickle", exchange -> {
      exchange.sendResponseHeaders(202, 100);
      OutputStream out = exchange.getResponseBody();
      out.write("{\"status\":".getBytes(StandardCharsets.UTF_8));
      out.flush();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private HttpRequest post(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
        .timeout(Duration.ofMillis(300)).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
  }

  @Test
  void anAnswerComesBackWhole() throws Exception {
    HttpResponse<String> response = DeadlineExchange.send(http, post("/ok"), Duration.ofSeconds(10));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).isEqualTo("{\"status\":\"success\"}");
  }

  @Test
  void aBodyThatStopsHalfWayEndsTheAttemptAtTheDeadline() {
    assertThatThrownBy(() -> DeadlineExchange.send(http, post("/trickle"), Duration.ofMillis(300)))
        .isInstanceOf(DeadlineExchange.NoAnswer.class)
        .hasMessage("did not answer within 300 ms");
  }

  @Test
  void aReceiverNobodyListensOnIsUnreachable() throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0)) {
      port = closed.getLocalPort();
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ok"))
        .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString("{}")).build();

    assertThatThrownBy(() -> DeadlineExchange.send(http, request, Duration.ofSeconds(5)))
        .isInstanceOf(DeadlineExchange.NoAnswer.class)
        .hasMessageStartingWith("unreachable: ");
  }
}
