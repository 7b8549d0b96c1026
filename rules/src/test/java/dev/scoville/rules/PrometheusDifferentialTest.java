package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.scoville.collector.ScrapeConfig;
import dev.scoville.collector.ScrapeManager;
import dev.scoville.collector.SeriesStore;
import dev.scoville.collector.remotewrite.RemoteWriteRoutes;
import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Series;
import dev.scoville.rules.query.QueryRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus and Scoville scrape the same loopback target; every expression of {@code
 * promql/differential.txt} is asked of both query APIs at the same instants, and as a range query
 * over them, and the answers must agree within the tolerance the line states; an error must be
 * the same HTTP status and error type. Skipped, saying so, where {@code /usr/bin/prometheus} is
 * not installed (Debian package {@code prometheus}).
 *
 * <p>The same checks are asked of a second Scoville fed only by Prometheus's {@code remote_write}
 * into {@code POST /api/v1/write}: the same samples must give the same answers as scraping.
 *
 * <p>Debian's Prometheus is 2.42, whose windows are closed on the left where Scoville's are
 * left-open as in Prometheus 3: the instants sit off the two-second sample grid so that no sample
 * falls on a window's edge.
 */
class PrometheusDifferentialTest {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  /** Buckets of data before the first instant asked about. */
  private static final long[] INSTANTS_AFTER_BUCKET = {10, 12, 14};
  private static final long OFF_GRID_MILLIS = 1_007;

  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  record Check(String tolerance, String expression) {}

  @Test
  void prometheusAndScovilleAgreeOnEveryExpressionOfTheTable() throws Exception {
    assumeTrue(Files.isExecutable(PROMETHEUS),
        "Debian's prometheus is not installed (apt-get install prometheus): differential test skipped");
    List<Check> checks = checks();
    Vertx vertx = Vertx.vertx();
    Process prometheus = null;
    try (DifferentialTarget target = new DifferentialTarget()) {
      // Scoville twice: scraping the target itself, and fed by Prometheus's remote_write.
      SeriesStore scraped = new SeriesStore(Duration.ofHours(1), Clock.systemUTC());
      SeriesStore written = new SeriesStore(Duration.ofHours(1), Clock.systemUTC());
      URI scovilleApi = queryApi(vertx, scraped, router -> { });
      URI writtenApi = queryApi(vertx, written, router -> new RemoteWriteRoutes(vertx, written).mount(router));
      int prometheusPort = freePort();
      Files.writeString(dir.resolve("prometheus.yml"), """
          global:
            scrape_interval: 500ms
            evaluation_interval: 1m
          scrape_configs:
            - job_name: diff
              static_configs:
                - targets: ['%s']
          remote_write:
            - url: %s
              queue_config:
                batch_send_deadline: 100ms
          """.formatted(target.address(), writtenApi.resolve(RemoteWriteRoutes.PATH)));
      prometheus = new ProcessBuilder(PROMETHEUS.toString(),
          "--config.file=" + dir.resolve("prometheus.yml"),
          "--storage.tsdb.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + prometheusPort)
          .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();

      ScrapeManager scrapes = new ScrapeManager(vertx, scraped, Clock.systemUTC(), new ScrapeConfig(
          Duration.ofMillis(500), Duration.ofMillis(500),
          List.of(ScrapeConfig.Job.of("diff", List.of(URI.create("http://" + target.address() + "/metrics"))))));
      scrapes.start();

      URI prometheusApi = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/query");
      waitForFirstScrapes(prometheusApi, scovilleApi);
      target.arm(System.currentTimeMillis());
      long last = INSTANTS_AFTER_BUCKET[INSTANTS_AFTER_BUCKET.length - 1];
      // Both have scraped every bucket up to the last instant once the bucket after next has begun.
      waitUntil(target.bucketStart(last + 2) + 500);
      scrapes.close();
      waitForRemoteWrite(written, target.bucketStart(last + 2));

      List<String> disagreements = new ArrayList<>();
      Tally scrapedTally = compare(checks, target, prometheusApi, scovilleApi, "", false, disagreements);
      Tally writtenTally = compare(checks, target, prometheusApi, writtenApi, "fed by remote write: ", true,
          disagreements);
      int each = checks.size() * (INSTANTS_AFTER_BUCKET.length + 1);
      System.out.printf("Differential test: %d of %d checks agree (%d expressions at %d instants and as a range"
          + " query); fed by Prometheus's remote_write: %d of %d agree, %d left out for a negative zero%n",
          scrapedTally.agreed(), each, checks.size(), INSTANTS_AFTER_BUCKET.length, writtenTally.agreed(),
          each - writtenTally.leftOut(), writtenTally.leftOut());
      assertThat(disagreements).as("expressions on which Scoville and Prometheus disagree").isEmpty();
    } finally {
      if (prometheus != null) {
        prometheus.destroy();
        prometheus.waitFor();
      }
      vertx.close().await();
    }
  }

  /** Scoville's query API over {@code store}, with whatever else {@code routes} mounts. */
  private static URI queryApi(Vertx vertx, SeriesStore store, Consumer<Router> routes) {
    Router router = Router.router(vertx);
    routes.accept(router);
    new QueryRoutes(vertx, store, Clock.systemUTC()).mount(router);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    return URI.create("http://127.0.0.1:" + server.actualPort() + "/api/v1/query");
  }

  record Tally(int agreed, int leftOut) {}

  /**
   * Asks every check of both at each instant and as a range query, adding each disagreement to
   * {@code disagreements}. With {@code withoutNegativeZero}, answers holding a {@code -0} on either
   * side are left out: Prometheus's remote write sends a sample's value as a proto3 double, which
   * its encoder omits when it equals zero, so a {@code -0} arrives as {@code 0} at any receiver.
   */
  private Tally compare(List<Check> checks, DifferentialTarget target, URI prometheusApi, URI scovilleApi,
      String which, boolean withoutNegativeZero, List<String> disagreements) throws Exception {
    int agreed = 0;
    int leftOut = 0;
    long last = INSTANTS_AFTER_BUCKET[INSTANTS_AFTER_BUCKET.length - 1];
    for (long bucket : INSTANTS_AFTER_BUCKET) {
      long at = target.bucketStart(bucket) + OFF_GRID_MILLIS;
      for (Check check : checks) {
        JsonObject expected = query(prometheusApi, check.expression(), at);
        JsonObject actual = query(scovilleApi, check.expression(), at);
        String difference = difference(check, expected, actual);
        if (withoutNegativeZero && holdNegativeZero(expected, actual)) {
          leftOut++;
        } else if (difference == null) {
          agreed++;
        } else {
          disagreements.add(which + "at bucket " + bucket + ": " + check.expression() + ": " + difference
              + "\n    Prometheus: " + expected.encode() + "\n    Scoville:   " + actual.encode());
        }
      }
    }
    // The same expressions as range queries over those instants, a step per bucket.
    long start = target.bucketStart(INSTANTS_AFTER_BUCKET[0]) + OFF_GRID_MILLIS;
    long end = target.bucketStart(last) + OFF_GRID_MILLIS;
    URI prometheusRange = prometheusApi.resolve("query_range");
    URI scovilleRange = scovilleApi.resolve("query_range");
    for (Check check : checks) {
      String range = "&start=" + seconds(start) + "&end=" + seconds(end) + "&step=2";
      JsonObject expected = post(prometheusRange, check.expression(), range);
      JsonObject actual = post(scovilleRange, check.expression(), range);
      String difference = difference(check, expected, actual);
      if (withoutNegativeZero && holdNegativeZero(expected, actual)) {
        leftOut++;
      } else if (difference == null) {
        agreed++;
      } else {
        disagreements.add(which + "range query: " + check.expression() + ": " + difference
            + "\n    Prometheus: " + expected.encode() + "\n    Scoville:   " + actual.encode());
      }
    }
    return new Tally(agreed, leftOut);
  }

  private static boolean holdNegativeZero(JsonObject... answers) {
    for (JsonObject answer : answers) {
      if (answer.encode().contains("\"-0\"")) {
        return true;
      }
    }
    return false;
  }

  /** Until remote write has delivered the target's samples up to {@code epochMillis}. */
  private void waitForRemoteWrite(SeriesStore written, long epochMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (newest(written) < epochMillis) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("remote write has not delivered samples up to " + epochMillis
            + " within 20 s; see " + dir.resolve("prometheus.log"));
      }
      Thread.sleep(100);
    }
  }

  private static long newest(SeriesStore store) {
    long newest = Long.MIN_VALUE;
    for (Series series : store.select(List.of(LabelMatcher.equal("__name__", "target_armed")), 0, Long.MAX_VALUE)) {
      newest = Math.max(newest, series.timestampAt(series.size() - 1));
    }
    return newest;
  }

  private static List<Check> checks() throws IOException {
    List<Check> checks = new ArrayList<>();
    try (InputStream in = PrometheusDifferentialTest.class.getResourceAsStream("/promql/differential.txt")) {
      for (String line : new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        int space = trimmed.indexOf(' ');
        checks.add(new Check(trimmed.substring(0, space), trimmed.substring(space + 1).strip()));
      }
    }
    return checks;
  }

  /** Null when the answers agree; else what differs. */
  private static String difference(Check check, JsonObject expected, JsonObject actual) {
    if (!expected.getString("status").equals(actual.getString("status"))) {
      return "status " + expected.getString("status") + " vs " + actual.getString("status");
    }
    if (expected.getString("status").equals("error")) {
      return expected.getInteger("httpStatus").equals(actual.getInteger("httpStatus"))
          && expected.getString("errorType").equals(actual.getString("errorType"))
          ? null : "HTTP status or error type";
    }
    JsonObject e = expected.getJsonObject("data");
    JsonObject a = actual.getJsonObject("data");
    if (!e.getString("resultType").equals(a.getString("resultType"))) {
      return "result type " + e.getString("resultType") + " vs " + a.getString("resultType");
    }
    double tolerance = check.tolerance().equals("exact") ? 0 : Double.parseDouble(check.tolerance());
    if (e.getString("resultType").equals("matrix")) {
      Map<JsonObject, JsonArray> expectedSeries = series(e.getJsonArray("result"));
      Map<JsonObject, JsonArray> actualSeries = series(a.getJsonArray("result"));
      if (!expectedSeries.keySet().equals(actualSeries.keySet())) {
        return "series";
      }
      for (Map.Entry<JsonObject, JsonArray> series : expectedSeries.entrySet()) {
        JsonArray expectedPoints = series.getValue();
        JsonArray actualPoints = actualSeries.get(series.getKey());
        if (expectedPoints.size() != actualPoints.size()) {
          return "points of " + series.getKey().encode();
        }
        for (int i = 0; i < expectedPoints.size(); i++) {
          JsonArray ep = expectedPoints.getJsonArray(i);
          JsonArray ap = actualPoints.getJsonArray(i);
          if (ep.getDouble(0).doubleValue() != ap.getDouble(0).doubleValue()
              || !agree(ep.getString(1), ap.getString(1), tolerance)) {
            return "point " + i + " of " + series.getKey().encode();
          }
        }
      }
      return null;
    }
    if (e.getString("resultType").equals("scalar")) {
      return agree(e.getJsonArray("result").getString(1), a.getJsonArray("result").getString(1), tolerance)
          ? null : "value";
    }
    Map<JsonObject, String> expectedSamples = samples(e.getJsonArray("result"));
    Map<JsonObject, String> actualSamples = samples(a.getJsonArray("result"));
    if (!expectedSamples.keySet().equals(actualSamples.keySet())) {
      return "label sets";
    }
    if (check.expression().startsWith("sort")
        && !List.copyOf(expectedSamples.keySet()).equals(List.copyOf(actualSamples.keySet()))) {
      return "order";
    }
    for (Map.Entry<JsonObject, String> sample : expectedSamples.entrySet()) {
      if (!agree(sample.getValue(), actualSamples.get(sample.getKey()), tolerance)) {
        return "value of " + sample.getKey().encode();
      }
    }
    return null;
  }

  private static Map<JsonObject, JsonArray> series(JsonArray result) {
    Map<JsonObject, JsonArray> series = new LinkedHashMap<>();
    for (int i = 0; i < result.size(); i++) {
      series.put(result.getJsonObject(i).getJsonObject("metric"), result.getJsonObject(i).getJsonArray("values"));
    }
    return series;
  }

  private static Map<JsonObject, String> samples(JsonArray result) {
    Map<JsonObject, String> samples = new LinkedHashMap<>();
    for (int i = 0; i < result.size(); i++) {
      JsonObject sample = result.getJsonObject(i);
      samples.put(sample.getJsonObject("metric"), sample.getJsonArray("value").getString(1));
    }
    return samples;
  }

  /** Exact: the same text, as Prometheus prints values; else within the relative tolerance. */
  private static boolean agree(String expected, String actual, double tolerance) {
    if (expected.equals(actual)) {
      return true;
    }
    if (tolerance == 0) {
      return false;
    }
    double e = Double.parseDouble(expected.replace("Inf", "Infinity"));
    double a = Double.parseDouble(actual.replace("Inf", "Infinity"));
    return Math.abs(e - a) <= tolerance * Math.max(Math.abs(e), Math.abs(a));
  }

  private JsonObject query(URI api, String expression, long atMillis) throws Exception {
    return post(api, expression, "&time=" + seconds(atMillis));
  }

  private static String seconds(long millis) {
    return BigDecimal.valueOf(millis, 3).toPlainString();
  }

  private JsonObject post(URI api, String expression, String parameters) throws Exception {
    String body = "query=" + URLEncoder.encode(expression, StandardCharsets.UTF_8) + parameters;
    HttpRequest request = HttpRequest.newBuilder(api)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new JsonObject(response.body()).put("httpStatus", response.statusCode());
  }

  /** Until both answer {@code target_armed} (Prometheus takes a second or two to start). */
  private void waitForFirstScrapes(URI prometheusApi, URI scovilleApi) throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    for (URI api : List.of(prometheusApi, scovilleApi)) {
      while (true) {
        try {
          JsonObject answer = query(api, "target_armed", System.currentTimeMillis());
          if (!answer.getJsonObject("data").getJsonArray("result").isEmpty()) {
            break;
          }
        } catch (IOException | RuntimeException e) {
          // not listening yet
        }
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError(api + " has not scraped the target within 20 s; see " + dir.resolve("prometheus.log"));
        }
        Thread.sleep(200);
      }
    }
  }

  private static void waitUntil(long epochMillis) throws InterruptedException {
    long wait = epochMillis - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
