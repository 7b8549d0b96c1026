package dev.scoville.contingency;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scoville.core.Database;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shop's view: a real HTTP client against the routes on a real Vert.x server. */
class OfrepRoutesTest {
  private static final String TOKEN = "shop-reads-flags";

  private final HttpClient client = HttpClient.newHttpClient();
  private Vertx vertx;
  private Database database;
  private KillSwitches killSwitches;
  private ActionService service;
  private String base;

  @BeforeEach
  void start() throws Exception {
    database = Fixtures.database();
    var config = Fixtures.config("http://127.0.0.1:9");
    ActionCatalog catalog = ActionCatalog.fromConfig(config);
    killSwitches = KillSwitches.open(database, catalog);
    service =
        new ActionService(
            catalog, killSwitches, database, (h, m, i) -> "", java.time.Clock.systemUTC());
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    new OfrepRoutes(killSwitches, OfrepConfig.fromConfig(config).token()).mount(router);
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get();
    base = "http://127.0.0.1:" + server.actualPort() + "/ofrep/v1/evaluate/flags";
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
    service.close();
    database.close();
  }

  private HttpResponse<String> post(String url, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    headers.forEach(b::header);
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String url, String body) throws Exception {
    return post(url, body, Map.of("Authorization", "Bearer " + TOKEN));
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return KillSwitches.JSON.readTree(response.body());
  }

  @Test
  void evaluatesOneFlagBeforeAndAfterItsKillSwitchRuns() throws Exception {
    JsonNode before =
        json(post(base + "/simplified-site", "{\"context\":{\"targetingKey\":\"u1\"}}"));
    service.request(
        new ActionRequest(
            "simplified-site",
            Map.of(),
            new Actor("alice", Actor.Role.RESPONDER),
            "INC-1",
            null,
            null,
            null,
            false));
    HttpResponse<String> after = post(base + "/simplified-site", "{\"context\":{}}");

    assertThat(before.get("key").asText()).isEqualTo("simplified-site");
    assertThat(before.get("value").isBoolean()).isTrue();
    assertThat(before.get("value").booleanValue()).isFalse();
    assertThat(before.get("reason").asText()).isEqualTo("STATIC");
    assertThat(before.get("variant").asText()).isEqualTo("off");
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(json(after).get("value").booleanValue()).isTrue();
    assertThat(json(after).get("variant").asText()).isEqualTo("switched");
    assertThat(json(after).get("metadata").get("changedBy").asText()).isEqualTo("alice");
    assertThat(json(post(base + "/payment-provider", "{}")).get("value").asText())
        .isEqualTo("primary");
  }

  @Test
  void unknownFlagIsFlagNotFound() throws Exception {
    HttpResponse<String> response = post(base + "/free-shipping", "{\"context\":{}}");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(json(response).get("key").asText()).isEqualTo("free-shipping");
    assertThat(json(response).get("errorCode").asText()).isEqualTo("FLAG_NOT_FOUND");
  }

  @Test
  void badBodiesAreParseErrorOrInvalidContext() throws Exception {
    HttpResponse<String> garbage = post(base + "/simplified-site", "{not json");
    HttpResponse<String> badContext = post(base + "/simplified-site", "{\"context\":\"everyone\"}");
    HttpResponse<String> badBulk = post(base, "{\"context\":[1]}");

    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(json(garbage).get("errorCode").asText()).isEqualTo("PARSE_ERROR");
    assertThat(badContext.statusCode()).isEqualTo(400);
    assertThat(json(badContext).get("errorCode").asText()).isEqualTo("INVALID_CONTEXT");
    assertThat(json(badContext).get("key").asText()).isEqualTo("simplified-site");
    assertThat(badBulk.statusCode()).isEqualTo(400);
    assertThat(json(badBulk).get("errorCode").asText()).isEqualTo("INVALID_CONTEXT");
  }

  @Test
  void withoutTheBearerTokenTheAnswerIs401() throws Exception {
    HttpResponse<String> none = post(base + "/simplified-site", "{}", Map.of());
    HttpResponse<String> wrong = post(base, "{}", Map.of("Authorization", "Bearer guess"));

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).doesNotContain("simplified-site");
  }

  @Test
  void bulkEvaluationAnswers304UntilAFlagChanges() throws Exception {
    HttpResponse<String> first = post(base, "{\"context\":{\"targetingKey\":\"u1\"}}");
    String etag = first.headers().firstValue("ETag").orElseThrow();

    HttpResponse<String> unchanged =
        post(
            base,
            "{\"context\":{}}",
            Map.of("Authorization", "Bearer " + TOKEN, "If-None-Match", etag));
    service.request(
        new ActionRequest(
            "recommendations-off",
            Map.of(),
            new Actor("alice", Actor.Role.RESPONDER),
            "INC-1",
            null,
            null,
            null,
            false));
    HttpResponse<String> changed =
        post(
            base,
            "{\"context\":{}}",
            Map.of("Authorization", "Bearer " + TOKEN, "If-None-Match", etag));

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(json(first).get("flags"))
        .extracting(f -> f.get("key").asText())
        .containsExactly("payment-provider", "recommendations-off", "simplified-site");
    assertThat(unchanged.statusCode()).isEqualTo(304);
    assertThat(unchanged.body()).isEmpty();
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
    JsonNode recommendations = json(changed).get("flags").get(1);
    assertThat(recommendations.get("key").asText()).isEqualTo("recommendations-off");
    assertThat(recommendations.get("value").booleanValue()).isTrue();
  }
}
