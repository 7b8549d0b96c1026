package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.collector.SeriesStore;
import dev.scoville.core.ConfigFile;
import dev.scoville.core.Database;
import dev.scoville.rules.notify.PagerDutyConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prometheus's {@code POST /-/reload}, on the rules module started as the application starts it. */
class RuleReloadRoutesTest {
  @TempDir
  Path dir;

  @Test
  void answers200OnceReloadedAnd500WithTheReasonWhenThePreviousRulesStay() throws Exception {
    Path configPath = dir.resolve("scoville.yaml");
    Files.writeString(configPath, """
        rules:
          groups:
            - name: shop
              rules:
                - alert: ShopDown
                  expr: up == 0
        """);
    ConfigFile config = ConfigFile.load(configPath);
    PagerDutyConfig pagerDuty = new PagerDutyConfig(URI.create("http://127.0.0.1:1/v2/enqueue"),
        "0123456789abcdef0123456789abcdef", "shop", null);
    SeriesStore store = new SeriesStore(Duration.ofHours(1), Clock.systemUTC());
    Vertx vertx = Vertx.vertx();
    try (Database database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Rules rules = Rules.start(config, config.section("rules", RulesConfig.class, RulesConfig.none()), pagerDuty,
            SlackConfig.none(), List.of(), store, store::append, database, Clock.systemUTC())) {
      Router router = Router.router(vertx);
      new RuleReloadRoutes(vertx, rules).mount(router);
      HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
      URI reload = URI.create("http://127.0.0.1:" + server.actualPort() + "/-/reload");
      Files.writeString(configPath, Files.readString(configPath) + """
                  - alert: ShopSlow
                    expr: shop_latency_seconds > 1
          """);

      HttpResponse<String> reloaded = post(reload);

      assertThat(reloaded.statusCode()).isEqualTo(200);
      assertThat(rules.ruleNames()).containsExactly("ShopDown", "ShopSlow");

      Files.writeString(configPath, Files.readString(configPath).replace("> 1", "> rat(x[5m])"));
      HttpResponse<String> refused = post(reload);

      assertThat(refused.statusCode()).isEqualTo(500);
      assertThat(refused.body()).isEqualTo("failed to reload rules, the previous ones stay:\n" + configPath
          + ":8:17: rule ShopSlow: column 24: unknown function rat(); did you mean rate()?\n");
      assertThat(rules.ruleNames()).containsExactly("ShopDown", "ShopSlow");
    } finally {
      vertx.close().await();
    }
  }

  private static HttpResponse<String> post(URI uri) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
