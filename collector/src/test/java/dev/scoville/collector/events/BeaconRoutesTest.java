package dev.scoville.collector.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.collector.SeriesStore;
import dev.scoville.core.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BeaconRoutesTest {
  private static final String TOKEN = "s3cret-beacon-token";

  private final MutableClock clock = new MutableClock(FixedShopEvents.NOW);
  private final SeriesStore store = new SeriesStore(Duration.ofHours(1), clock);
  private final DerivedSeries derived = new DerivedSeries(store, clock, EventsConfig.defaults());
  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;
  private URI beacon;

  @BeforeEach
  void startServer() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    new BeaconRoutes(
            derived, new EventsConfig.Beacon(true, List.of("https://shop.example"), TOKEN, 4096L))
        .mount(router);
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    beacon = URI.create("http://127.0.0.1:" + server.actualPort() + BeaconRoutes.PATH);
  }

  @AfterEach
  void stopServer() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void acceptsABatchAndItsEventsBecomeTheDerivedSeries() throws Exception {
    HttpResponse<String> response =
        post(URI.create(beacon + "?token=" + TOKEN), batch(FixedShopEvents.EVENTS));

    assertThat(response.statusCode()).isEqualTo(202);
    JsonObject answer = new JsonObject(response.body());
    assertThat(answer.getInteger("accepted")).isEqualTo(20);
    assertThat(answer.getInteger("rejected")).isZero();
    derived.evaluate();
    FixedShopEvents.assertDerivedValues(store);
  }

  @Test
  void takesTheTokenAsABearerHeaderToo() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(beacon)
                .header("Authorization", "Bearer " + TOKEN)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        batch(FixedShopEvents.EVENTS.subList(0, 2))))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(202);
  }

  @Test
  void refusesAMissingOrWrongTokenWith401() throws Exception {
    assertThat(post(beacon, batch(FixedShopEvents.EVENTS)).statusCode()).isEqualTo(401);
    HttpResponse<String> wrong =
        post(URI.create(beacon + "?token=s3cret-beacon-tokem"), batch(FixedShopEvents.EVENTS));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("beacon token");

    derived.evaluate();
    assertThat(store.seriesCount()).isZero();
  }

  @Test
  void refusesABatchOverTheSizeLimitWith413() throws Exception {
    String big = batch(Collections.nCopies(100, FixedShopEvents.EVENTS.get(0)));
    assertThat(big.length()).isGreaterThan(4096);

    HttpResponse<String> response = post(URI.create(beacon + "?token=" + TOKEN), big);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("batch larger than 4096 bytes");
  }

  @Test
  void answersTheCorsPreflightOfAnAllowedOriginOnly() throws Exception {
    HttpResponse<String> allowed = preflight("https://shop.example");
    assertThat(allowed.statusCode()).isBetween(200, 204);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://shop.example");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods").orElse(""))
        .contains("POST");

    HttpResponse<String> stranger = preflight("https://evil.example");
    assertThat(stranger.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(stranger.statusCode()).isEqualTo(403);
  }

  @Test
  void aWildcardOriginLetsAnyPagePost() throws Exception {
    Router router = Router.router(vertx);
    new BeaconRoutes(derived, new EventsConfig.Beacon(true, List.of("*"), TOKEN, 4096L))
        .mount(router);
    HttpServer open =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    beacon = URI.create("http://127.0.0.1:" + open.actualPort() + BeaconRoutes.PATH);

    HttpResponse<String> response = preflight("https://anywhere.example");

    assertThat(response.statusCode()).isBetween(200, 204);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isPresent();
  }

  @Test
  void refusesOnlyTheBadEventOfABatchAndSaysWhy() throws Exception {
    double before = rejected("missing_session");
    String bad = "{\"type\":\"cart_created\",\"time\":\"2026-11-23T12:00:01Z\",\"cart\":\"c9\"}";

    HttpResponse<String> response =
        post(
            URI.create(beacon + "?token=" + TOKEN),
            batch(List.of(FixedShopEvents.EVENTS.get(0), bad, FixedShopEvents.EVENTS.get(1))));

    assertThat(response.statusCode()).isEqualTo(202);
    JsonObject answer = new JsonObject(response.body());
    assertThat(answer.getInteger("accepted")).isEqualTo(2);
    assertThat(answer.getInteger("rejected")).isEqualTo(1);
    assertThat(answer.getJsonArray("errors").getList())
        .containsExactly("event[1]: missing field 'session'");
    assertThat(rejected("missing_session")).isEqualTo(before + 1);
    derived.evaluate();
    assertThat(FixedShopEvents.latest(store, "scoville_shop_events_total", "type", "page_view"))
        .isEqualTo(2);
  }

  @Test
  void refusesABodyThatIsNotAJsonArrayWith400() throws Exception {
    HttpResponse<String> response =
        post(URI.create(beacon + "?token=" + TOKEN), "{\"type\":\"page_view\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("expected a JSON array of events");
  }

  private HttpResponse<String> preflight(String origin) throws Exception {
    return http.send(
        HttpRequest.newBuilder(beacon)
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "Content-Type")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(URI uri, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String batch(List<String> events) {
    return "[" + String.join(",", events) + "]";
  }

  private static double rejected(String reason) {
    return FixedShopEvents.counter(
        "scoville_events_rejected_total", "source", "beacon", "reason", reason);
  }
}
