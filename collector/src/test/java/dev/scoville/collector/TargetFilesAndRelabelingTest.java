package dev.scoville.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoville.core.ConfigException;
import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import dev.scoville.core.Series;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetFilesAndRelabelingTest {
  private final Vertx vertx = Vertx.vertx();
  private final SeriesStore store = new SeriesStore(Duration.ofHours(1), Clock.systemUTC());

  @TempDir
  Path dir;

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void picksUpTargetsFromAFileAndFollowsItsChanges() throws Exception {
    URI first = serve("a 1\n");
    URI second = serve("b 2\n");
    Path file = dir.resolve("targets.yaml");
    Files.writeString(file, "- targets: [" + first + "]\n  labels: {zone: eu}\n");
    ScrapeManager scrapes = manager(new ScrapeConfig.Job("files", null, null, null, List.of(file), null, null, null, null, 0, 0, 0, 0, 0));

    scrapes.start();
    await(() -> scrapes.health().size() == 1 && scrapes.health().get(0).up());
    assertThat(only("a").labels().get("zone")).isEqualTo("eu");

    Files.writeString(file, "- targets: [" + second + "]\n");
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(10)));
    await(() -> scrapes.health().size() == 1 && scrapes.health().get(0).url().equals(second) && scrapes.health().get(0).up());

    Series a = only("a");
    assertThat(dev.scoville.core.Sample.isStale(a.valueAt(a.size() - 1))).as("a removed target's series end stale").isTrue();
    scrapes.close();
  }

  @Test
  void keepsTheOldTargetsWhenTheFileBreaks() throws Exception {
    URI first = serve("a 1\n");
    Path file = dir.resolve("targets.yaml");
    Files.writeString(file, "- targets: [" + first + "]\n");
    ScrapeManager scrapes = manager(new ScrapeConfig.Job("files", null, null, null, List.of(file), null, null, null, null, 0, 0, 0, 0, 0));
    scrapes.start();
    await(() -> scrapes.health().size() == 1);

    Files.writeString(file, "- targets: [" + first + "]\n  lables: {}\n");
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(10)));
    Thread.sleep(6000);

    assertThat(scrapes.health()).extracting(TargetHealth::url).containsExactly(first);
    scrapes.close();
  }

  @Test
  void relabelsDropsAndKeepsSamples() throws Exception {
    URI url = serve("""
        http_requests_total{path="/checkout",code="200",debug_id="x1"} 5
        http_requests_total{path="/internal/health",code="200",debug_id="x2"} 9
        go_goroutines 12
        """);
    List<ScrapeConfig.RelabelRule> relabel = List.of(
        new ScrapeConfig.RelabelRule("drop", List.of("__name__"), null, "go_.*", null, null),
        new ScrapeConfig.RelabelRule("drop", List.of("path"), null, "/internal/.*", null, null),
        new ScrapeConfig.RelabelRule("replace", List.of("path"), null, "/(\\w+)", "route", "${1}_page"),
        new ScrapeConfig.RelabelRule("labeldrop", null, null, "debug_id", null, null));
    ScrapeManager scrapes = manager(new ScrapeConfig.Job("shop", null, null, List.of(url), null, Map.of("team", "web"), null, relabel, null, 0, 0, 0, 0, 0));

    scrapes.scrape(scrapes.targets().get(0)).await();

    List<Series> kept = store.select(List.of(LabelMatcher.of("__name__", LabelMatcher.Op.REGEX, "http_.*|go_.*")), 0, Long.MAX_VALUE);
    assertThat(kept).extracting(Series::labels).containsExactly(Labels.of("__name__", "http_requests_total",
        "path", "/checkout", "code", "200", "route", "checkout_page", "team", "web", "job", "shop",
        "instance", url.getHost() + ":" + url.getPort()));
  }

  @Test
  void targetRelabelingPicksTargetsNamesTheirInstanceAndRewritesWhereTheyAreScraped() throws Exception {
    HttpServer checkout = vertx.createHttpServer()
        .requestHandler(r -> r.response().end(r.path().equals("/internal/metrics") ? "orders_total 3\n" : "wrong_path 1\n"))
        .listen(0, "127.0.0.1").await();
    URI kept = URI.create("http://127.0.0.1:" + checkout.actualPort() + "/metrics");
    URI dropped = serve("other_total 1\n");
    List<ScrapeConfig.RelabelRule> relabel = List.of(
        new ScrapeConfig.RelabelRule("keep", List.of("__address__"), null, "127\\.0\\.0\\.1:" + checkout.actualPort(), null, null),
        new ScrapeConfig.RelabelRule("replace", List.of("__address__"), null, ".*:(\\d+)", "instance", "checkout-$1"),
        new ScrapeConfig.RelabelRule("replace", null, null, null, "__metrics_path__", "/internal/metrics"),
        new ScrapeConfig.RelabelRule("labelmap", null, null, "team_(.+)", null, "$1"));
    ScrapeManager scrapes = manager(new ScrapeConfig.Job("shop", null, null, List.of(kept, dropped), null,
        Map.of("team_owner", "payments"), relabel, null, null, 0, 0, 0, 0, 0));

    assertThat(scrapes.targets()).extracting(t -> t.url)
        .containsExactly(URI.create("http://127.0.0.1:" + checkout.actualPort() + "/internal/metrics"));
    scrapes.scrape(scrapes.targets().get(0)).await();

    assertThat(only("orders_total").labels()).isEqualTo(Labels.of("__name__", "orders_total", "job", "shop",
        "instance", "checkout-" + checkout.actualPort(), "team_owner", "payments", "owner", "payments"));
    assertThat(only("up").labels().get("instance")).isEqualTo("checkout-" + checkout.actualPort());
  }

  @Test
  void refusesABadRelabelRuleNamingTheJobAndField() {
    List<ScrapeConfig.RelabelRule> relabel = List.of(new ScrapeConfig.RelabelRule("drop", List.of("path"), null, "([", null, null));

    assertThatThrownBy(() -> manager(new ScrapeConfig.Job("shop", null, null, List.of(), null, null, null, relabel, null, 0, 0, 0, 0, 0)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("scrape.jobs[0] (shop).metricRelabel[0].regex: ");
  }

  @Test
  void failsAScrapeWhoseBodyPassesTheLimit() throws Exception {
    URI url = serve("x 1\n".repeat(1000));
    ScrapeManager scrapes = manager(new ScrapeConfig.Job("big", null, null, List.of(url), null, null, null, null, 1000L, 0, 0, 0, 0, 0));

    scrapes.scrape(scrapes.targets().get(0)).await();

    assertThat(scrapes.health().get(0).lastError()).isEqualTo("body exceeds the limit of 1000 bytes");
  }

  private Series only(String metric) {
    List<Series> found = store.select(List.of(LabelMatcher.equal("__name__", metric)), 0, Long.MAX_VALUE);
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private ScrapeManager manager(ScrapeConfig.Job job) {
    return new ScrapeManager(vertx, store, Clock.systemUTC(),
        new ScrapeConfig(Duration.ofMillis(200), Duration.ofMillis(150), List.of(job)));
  }

  private URI serve(String body) {
    HttpServer server = vertx.createHttpServer().requestHandler(r -> r.response().end(body)).listen(0, "127.0.0.1").await();
    return URI.create("http://127.0.0.1:" + server.actualPort() + "/metrics");
  }

  private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(20);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(50);
    }
  }
}
