package dev.scoville.rules.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import dev.scoville.core.Series;
import dev.scoville.core.SeriesReader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code query.timeout} and {@code query.maxSamples} through the HTTP API, with the answers
 * Prometheus 2.42 gives (checked against Debian's {@code prometheus --query.max-samples=10}).
 */
class QueryLimitsTest {
  private static final long NOW = 1_800_000_300_000L;
  private static final String TOO_MANY =
      "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query processing would load too many"
          + " samples into memory in query execution\"}";

  private final Vertx vertx = Vertx.vertx();
  /** Three series sampled every 15 s, each select taking {@link #selectMillis}. */
  private final AtomicInteger selects = new AtomicInteger();
  private volatile long selectMillis;
  private final SeriesReader series = new SeriesReader() {
    @Override
    public List<Series> select(List<LabelMatcher> matchers, long from, long to) {
      selects.incrementAndGet();
      sleep(selectMillis);
      return List.of("card", "wallet", "bank").stream()
          .map(provider -> every15s(Labels.of("__name__", "payments_total", "provider", provider), from, to))
          .filter(s -> s.size() > 0 && matchers.stream().allMatch(m -> m.matches(s.labels())))
          .toList();
    }

    @Override
    public void onAppend(Consumer<Set<String>> metricNames) {}
  };

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aQueryLoadingMoreThanMaxSamplesIsRefusedAsPrometheusRefusesIt() throws Exception {
    URI base = serve(new QueryConfig(null, 11L));

    // 3 series × 4 samples in the last minute = 12.
    HttpResponse<String> over = get(base, "api/v1/query?query=" + encode("sum(rate(payments_total[1m]))"));
    HttpResponse<String> under = get(base, "api/v1/query?query=" + encode("sum(rate(payments_total[45s]))"));

    assertThat(over.statusCode()).isEqualTo(422);
    assertThat(over.body()).isEqualTo(TOO_MANY);
    assertThat(under.statusCode()).isEqualTo(200);
  }

  @Test
  void aRangeQueryCountsTheResultItHoldsSoFar() throws Exception {
    URI base = serve(new QueryConfig(null, 10L));
    String range = "api/v1/query_range?start=1800000000&end=1800000300&step=60&query=";

    // 6 steps × 1 point held, plus each step's 3 samples: at most 8.
    HttpResponse<String> under = get(base, range + encode("sum(payments_total)"));
    // 3 series a step, all held: the fourth step would hold 12.
    HttpResponse<String> over = get(base, range + encode("payments_total"));

    assertThat(under.statusCode()).isEqualTo(200);
    assertThat(over.statusCode()).isEqualTo(422);
    assertThat(over.body()).isEqualTo(TOO_MANY);
  }

  @Test
  void aQueryPastItsTimeoutIsAnswered503AndStopsEvaluating() throws Exception {
    URI base = serve(new QueryConfig(Duration.ofMillis(300), null));
    selectMillis = 20;

    // 600 inner evaluations of 20 ms each: 12 s unless stopped.
    HttpResponse<String> answer = get(base, "api/v1/query?query=" + encode("max_over_time(payments_total[10m:1s])"));
    int selectsWhenAnswered = selects.get();
    Thread.sleep(200);

    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.body()).isEqualTo(
        "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out in expression evaluation\"}");
    assertThat(selectsWhenAnswered).isLessThan(600);
    assertThat(selects.get()).isEqualTo(selectsWhenAnswered);
  }

  @Test
  void aRequestMayAskForAShorterTimeoutAsGrafanaDoes() throws Exception {
    URI base = serve(QueryConfig.defaults());
    selectMillis = 20;

    HttpResponse<String> answer =
        get(base, "api/v1/query?timeout=0.3&query=" + encode("max_over_time(payments_total[10m:1s])"));
    HttpResponse<String> bad = get(base, "api/v1/query?timeout=soon&query=payments_total");

    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.body()).contains("query timed out in expression evaluation");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).isEqualTo("{\"status\":\"error\",\"errorType\":\"bad_data\","
        + "\"error\":\"invalid parameter \\\"timeout\\\": cannot parse \\\"soon\\\" to a valid duration\"}");
  }

  @Test
  void aQueryWhoseTimeRanOutWhileQueuedIsNeverStarted() throws Exception {
    URI base = serve(new QueryConfig(Duration.ofMillis(200), null));
    selectMillis = 500;

    // Four run at once, each past the deadline before it can check it; the fifth waits for them.
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> answers = new java.util.ArrayList<>();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (int i = 0; i < 5; i++) {
      answers.add(client.sendAsync(HttpRequest.newBuilder(base.resolve("api/v1/query?query=payments_total")).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    List<String> bodies = new java.util.ArrayList<>();
    for (var answer : answers) {
      assertThat(answer.get().statusCode()).isEqualTo(503);
      bodies.add(answer.get().body());
    }

    assertThat(bodies).contains(
        "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out in query queue\"}");
    assertThat(selects.get()).isEqualTo(4);
  }

  private URI serve(QueryConfig limits) {
    Router router = Router.router(vertx);
    new QueryRoutes(vertx, series, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), limits).mount(router);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    return URI.create("http://127.0.0.1:" + server.actualPort() + "/");
  }

  private static Series every15s(Labels labels, long from, long to) {
    long first = from + Math.floorMod(-from, 15_000L);
    int n = first > to ? 0 : (int) ((to - first) / 15_000 + 1);
    long[] timestamps = new long[n];
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      timestamps[i] = first + 15_000L * i;
      values[i] = timestamps[i] / 1000.0;
    }
    return new Series(labels, timestamps, values);
  }

  private static HttpResponse<String> get(URI base, String path) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
