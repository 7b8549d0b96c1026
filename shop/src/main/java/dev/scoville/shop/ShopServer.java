package dev.scoville.shop;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link ShopSimulator} in real time and serves its metrics at {@code /metrics} on
 * loopback, in the text or OpenMetrics format the scraper asks for, and its card gateway's status
 * page at {@code /card-gateway/api/v2/summary.json}, its logistics API's health at {@code
 * /logistics/health}, and takes drill scenarios at {@code /scenarios} ({@link ScenarioEndpoint}).
 */
public final class ShopServer implements AutoCloseable {
  private static final Duration TICK = Duration.ofMillis(100);
  private static final String STATUS_PAGE = "/card-gateway/api/v2/summary.json";
  private static final String LOGISTICS_HEALTH = "/logistics/health";

  private final ShopSimulator simulator;
  private final HttpServer http;
  private final ScheduledExecutorService ticker;
  /** When the simulator was last brought up to date, from {@link System#nanoTime()}. */
  private long simulatedUntil = System.nanoTime();

  private ShopServer(ShopSimulator simulator, HttpServer http, ScheduledExecutorService ticker) {
    this.simulator = simulator;
    this.http = http;
    this.ticker = ticker;
  }

  /** Starts the shop on {@code port} of loopback (0 picks a free port). */
  public static ShopServer start(ShopSimulator simulator, int port) throws IOException {
    HttpServer http = LoopbackHttpServer.create(port);
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "shop-simulator");
      t.setDaemon(true);
      return t;
    });
    ShopServer server = new ShopServer(simulator, http, ticker);
    http.createContext("/metrics", server::serveMetrics);
    http.createContext(STATUS_PAGE, server::serveStatusPage);
    http.createContext(LOGISTICS_HEALTH, server::serveLogisticsHealth);
    http.createContext(ScenarioEndpoint.PATH, new ScenarioEndpoint(simulator)::handle);
    http.start();
    ticker.scheduleAtFixedRate(server::catchUp, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    return server;
  }

  public URI metricsUri() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/metrics");
  }

  /** The card gateway's Statuspage {@code summary.json}. */
  public URI statusPageUri() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + STATUS_PAGE);
  }

  /** The logistics API's health check: 200 while it quotes, 503 while a drill takes it down. */
  public URI logisticsHealthUri() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + LOGISTICS_HEALTH);
  }

  /** Where a drill asks for a scenario: {@code POST <base>scenarios/<name>?speed=<n>}. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/");
  }

  public ShopSimulator simulator() {
    return simulator;
  }

  /**
   * Simulates the visits since the last call. A scrape calls it too: a ticker held up for a while
   * (a busy machine) would otherwise show a counter behind the clock, and then a burst, which a
   * short rate window reads as traffic falling and then surging.
   */
  private synchronized void catchUp() {
    long now = System.nanoTime();
    simulator.tick(Duration.ofNanos(now - simulatedUntil));
    simulatedUntil = now;
  }

  private void serveMetrics(HttpExchange exchange) throws IOException {
    catchUp();
    try (exchange) {
      String contentType = TextFormat.chooseContentType(exchange.getRequestHeaders().getFirst("Accept"));
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream body = exchange.getResponseBody();
          Writer writer = new OutputStreamWriter(body, StandardCharsets.UTF_8)) {
        TextFormat.writeFormat(contentType, writer, simulator.registry().metricFamilySamples());
      }
    }
  }

  private void serveStatusPage(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = GatewayStatusPage.summary(simulator.cardGatewayFailing(), Instant.now())
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private void serveLogisticsHealth(HttpExchange exchange) throws IOException {
    try (exchange) {
      boolean down = simulator.logisticsDown();
      byte[] body = (down ? "{\"status\":\"unavailable\"}" : "{\"status\":\"ok\"}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(down ? 503 : 200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    http.stop(0);
  }
}
