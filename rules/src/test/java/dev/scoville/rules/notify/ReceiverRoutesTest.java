package dev.scoville.rules.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoville.collector.SeriesStore;
import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import dev.scoville.core.Database;
import dev.scoville.rules.Rules;
import dev.scoville.rules.RulesConfig;
import dev.scoville.rules.SlackConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** The {@code webhooks} section and {@code delivery.fallbacks} as the application reads them, and {@code GET /api/receivers}. */
class ReceiverRoutesTest {
  private static final String CONFIG = """
      webhooks:
        - name: ops-bridge
          url: http://127.0.0.1:1/hooks/scoville
          secret: ${HOOK_SECRET}
      delivery:
        timeout: 500ms
        fallbacks:
          - receiver: pagerduty
            after: 2m
            to: %s
      """;
  private final PagerDutyConfig pagerDuty = new PagerDutyConfig(URI.create("http://127.0.0.1:1/v2/enqueue"),
      "0123456789abcdef0123456789abcdef", "shop", null);

  @Test
  void listsEachReceiverWithAFallbackRouteAndItsState() throws Exception {
    ConfigFile config = config("webhook:ops-bridge");
    SeriesStore store = new SeriesStore(Duration.ofHours(1), Clock.systemUTC());
    Vertx vertx = Vertx.vertx();
    try (Database database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Rules rules = Rules.start(config, RulesConfig.none(), pagerDuty, SlackConfig.none(), List.of(), store,
            store::append, database, Clock.systemUTC())) {
      Router router = Router.router(vertx);
      new ReceiverRoutes(rules::receivers).mount(router);
      HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();

      HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.actualPort() + "/api/receivers")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(new JsonArray(answer.body()).getJsonObject(0).getMap())
          .containsEntry("receiver", "pagerduty").containsEntry("state", "ok").containsEntry("fallback", null);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void refusesAFallbackRouteToAnUnknownWebhookNamingItsPlace() {
    assertThatStartFails(config("webhook:nope"))
        .hasMessageStartingWith("scoville.yaml:10:")
        .hasMessageContaining("no webhook named 'nope' in the webhooks section");
  }

  @Test
  void refusesAWebhookWithoutASecret() {
    ConfigFile config = ConfigFile.parse("scoville.yaml", """
        webhooks:
          - name: ops-bridge
            url: http://127.0.0.1:1/hooks/scoville
        """, Map.<String, String>of()::get);
    assertThatStartFails(config)
        .hasMessageStartingWith("scoville.yaml:2:")
        .hasMessageContaining("a secret is needed to sign its requests");
  }

  /** Rules refusing to start on {@code config}, with a ConfigException, for the message's assertions. */
  private AbstractThrowableAssert<?, ? extends Throwable> assertThatStartFails(ConfigFile config) {
    SeriesStore store = new SeriesStore(Duration.ofHours(1), Clock.systemUTC());
    try (Database database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")) {
      return assertThatThrownBy(() -> Rules.start(config, RulesConfig.none(), pagerDuty, SlackConfig.none(), List.of(),
          store, store::append, database, Clock.systemUTC()))
          .isInstanceOf(ConfigException.class);
    }
  }

  private static ConfigFile config(String fallback) {
    return ConfigFile.parse("scoville.yaml", CONFIG.formatted(fallback), Map.of("HOOK_SECRET", "s3cr3t")::get);
  }
}
