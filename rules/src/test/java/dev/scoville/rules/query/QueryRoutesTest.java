package dev.scoville.rules.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import dev.scoville.core.Series;
import dev.scoville.core.SeriesReader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Prometheus's query API shapes, over a real Vert.x server and HTTP client. */
class QueryRoutesTest {
  private static final long T0 = 1_800_000_000_000L;
  /** Two counters scraped every 15 s for 5 minutes: 1/s and 3/s. */
  private static final SeriesReader SERIES = new SeriesReader() {
    @Override
    public List<Series> select(List<LabelMatcher> matchers, long from, long to) {
      return List.of(counter("card", 1, from, to), counter("wallet", 3, from, to)).stream()
          .filter(s -> matchers.stream().allMatch(m -> m.matches(s.labels()))).toList();
    }

    @Override
    public void onAppend(Consumer<Set<String>> metricNames) {}
  };

  private final Vertx vertx = Vertx.vertx();
  private URI base;

  @BeforeEach
  void start() {
    Router router = Router.router(vertx);
    new QueryRoutes(vertx, SERIES, Clock.fixed(Instant.ofEpochMilli(T0 + 300_000), ZoneOffset.UTC)).mount(router);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    base = URI.create("http://127.0.0.1:" + server.actualPort() + "/");
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void answersAnInstantQueryAsAVector() throws Exception {
    JsonObject answer = get("api/v1/query?query=" + encode("sum by (provider) (rate(payments_total[1m]))"), 200);

    assertThat(answer.getString("status")).isEqualTo("success");
    assertThat(answer.getJsonObject("data").getString("resultType")).isEqualTo("vector");
    JsonArray result = answer.getJsonObject("data").getJsonArray("result");
    assertThat(result).hasSize(2);
    assertThat(result.getJsonObject(0).getJsonObject("metric").encode()).isEqualTo("{\"provider\":\"card\"}");
    JsonArray value = result.getJsonObject(0).getJsonArray("value");
    assertThat(value.getDouble(0)).isEqualTo(1_800_000_300.0);
    assertThat(Double.parseDouble(value.getString(1))).isCloseTo(1.0, within(1e-9));
    assertThat(Double.parseDouble(result.getJsonObject(1).getJsonArray("value").getString(1))).isCloseTo(3.0, within(1e-9));
  }

  @Test
  void answersAScalarQueryAsAScalar() throws Exception {
    JsonObject answer = get("api/v1/query?time=1800000000&query=" + encode("1 / 4"), 200);

    assertThat(answer.getJsonObject("data").encode())
        .isEqualTo("{\"resultType\":\"scalar\",\"result\":[1.8E9,\"0.25\"]}");
  }

  @Test
  void answersARangeQueryAsAMatrix() throws Exception {
    JsonObject answer = get("api/v1/query_range?start=1800000120&end=1800000240&step=1m&query="
        + encode("sum(rate(payments_total[1m]))"), 200);

    assertThat(answer.getJsonObject("data").getString("resultType")).isEqualTo("matrix");
    JsonArray values = answer.getJsonObject("data").getJsonArray("result").getJsonObject(0).getJsonArray("values");
    assertThat(values).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(values.getJsonArray(i).getDouble(0)).isEqualTo(1_800_000_120.0 + 60 * i);
      assertThat(Double.parseDouble(values.getJsonArray(i).getString(1))).isCloseTo(4.0, within(1e-9));
    }
  }

  @Test
  void refusesABadQueryAsPrometheusDoes() throws Exception {
    JsonObject answer = get("api/v1/query?query=" + encode("rate(payments_total)"), 400);

    assertThat(answer.getString("status")).isEqualTo("error");
    assertThat(answer.getString("errorType")).isEqualTo("bad_data");
    assertThat(answer.getString("error")).startsWith("invalid parameter \"query\": ");
  }

  @Test
  void refusesARangeQueryWithTooManyPoints() throws Exception {
    JsonObject answer = get("api/v1/query_range?start=0&end=1800000000&step=1&query=payments_total", 400);

    assertThat(answer.getString("error")).startsWith("exceeded maximum resolution of 11,000 points");
  }

  private JsonObject get(String path, int status) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(status);
    return new JsonObject(response.body());
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static Series counter(String provider, double perSecond, long from, long to) {
    long first = Math.max(T0, from + (15_000 - Math.floorMod(from - T0, 15_000)) % 15_000);
    int n = first > Math.min(to, T0 + 300_000) ? 0 : (int) ((Math.min(to, T0 + 300_000) - first) / 15_000) + 1;
    long[] t = new long[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = first + i * 15_000L;
      v[i] = perSecond * (t[i] - T0) / 1000.0;
    }
    return new Series(Labels.of("__name__", "payments_total", "provider", provider), t, v);
  }
}
