package dev.scoville.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.scoville.core.LabelMatcher;
import dev.scoville.core.MutableClock;
import dev.scoville.core.Sample;
import dev.scoville.core.Series;
import dev.scoville.shop.Scenario;
import dev.scoville.shop.ShopServer;
import dev.scoville.shop.ShopSimulator;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScrapeManagerTest {
  private final Clock clock = Clock.systemUTC();
  private final SeriesStore store = new SeriesStore(Duration.ofHours(1), clock);
  private Vertx vertx;
  private ShopServer shop;
  private HttpServer exporter;
  private volatile String exposition = "";

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    ShopSimulator simulator = new ShopSimulator(Scenario.DEMO, 20, clock, 1);
    simulator.tick(Duration.ofSeconds(10));
    shop = ShopServer.start(simulator, 0);
    exporter = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    exporter.createContext("/metrics", exchange -> {
      byte[] body = exposition.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    exporter.start();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    shop.close();
    exporter.stop(0);
  }

  @Test
  void scrapesTheShopAndWritesUpAndScrapeSeries() {
    ScrapeManager scrapes = manager("shop", shop.metricsUri());
    ScrapeManager.Target target = only(scrapes);

    scrapes.scrape(target).await();

    assertThat(scrapes.health().get(0).lastError()).isNull();
    assertThat(value("up", "shop")).isEqualTo(1.0);
    assertThat(value("scrape_samples_scraped", "shop")).isGreaterThan(50);
    List<Series> checkout = store.select(List.of(
        LabelMatcher.equal("__name__", "shop_http_request_duration_seconds_bucket"),
        LabelMatcher.equal("route", "/checkout"), LabelMatcher.equal("le", "+Inf")), 0, Long.MAX_VALUE);
    assertThat(checkout).hasSize(1);
    assertThat(checkout.get(0).labels().get("job")).isEqualTo("shop");
    assertThat(checkout.get(0).labels().get("instance")).isEqualTo(shop.metricsUri().getHost() + ":" + shop.metricsUri().getPort());
    assertThat(scrapes.health().get(0).up()).isTrue();
  }

  @Test
  void marksADeadTargetDownAndNamesIt() {
    URI dead = URI.create("http://127.0.0.1:1/metrics");
    ScrapeManager scrapes = manager("dead", dead);

    scrapes.scrape(only(scrapes)).await();

    assertThat(value("up", "dead")).isEqualTo(0.0);
    TargetHealth health = scrapes.health().get(0);
    assertThat(health.up()).isFalse();
    assertThat(health.url()).isEqualTo(dead);
    assertThat(health.lastError()).isNotBlank();
  }

  @Test
  void rejectsGarbageWithTheParsersPlaceAndStoresNothingOfIt() {
    exposition = "ok_metric 1\nbroken{route=\"/\" 2\n";
    ScrapeManager scrapes = manager("garbage", exporterUri());

    scrapes.scrape(only(scrapes)).await();

    assertThat(value("up", "garbage")).isEqualTo(0.0);
    assertThat(scrapes.health().get(0).lastError()).startsWith("invalid exposition: 2:");
    assertThat(store.select(List.of(LabelMatcher.equal("__name__", "ok_metric")), 0, Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void marksSeriesThatVanishedStale() {
    MutableClock scrapeClock = new MutableClock(clock.instant());
    exposition = "jobs_running{queue=\"a\"} 1\njobs_running{queue=\"b\"} 2\n";
    ScrapeManager scrapes = manager("exporter", exporterUri(), scrapeClock);
    scrapes.scrape(only(scrapes)).await();
    scrapeClock.advance(Duration.ofSeconds(15));

    exposition = "jobs_running{queue=\"a\"} 1\n";
    scrapes.scrape(only(scrapes)).await();

    Series b = store.select(List.of(LabelMatcher.equal("queue", "b")), 0, Long.MAX_VALUE).get(0);
    assertThat(Sample.isStale(b.valueAt(b.size() - 1))).isTrue();
    Series a = store.select(List.of(LabelMatcher.equal("queue", "a")), 0, Long.MAX_VALUE).get(0);
    assertThat(Sample.isStale(a.valueAt(a.size() - 1))).isFalse();
  }

  @Test
  void aWarmCacheAppendsKnownSeriesAndTheParserLearnsNewOnes() {
    MutableClock scrapeClock = new MutableClock(clock.instant());
    exposition = "# TYPE jobs_running gauge\njobs_running{queue=\"a\"} 1\n";
    ScrapeManager scrapes = manager("exporter", exporterUri(), scrapeClock);
    scrapes.scrape(only(scrapes)).await();
    scrapeClock.advance(Duration.ofSeconds(15));
    exposition = "# TYPE jobs_running gauge\njobs_running{queue=\"a\"} 2\n";
    scrapes.scrape(only(scrapes)).await();
    scrapeClock.advance(Duration.ofSeconds(15));
    exposition = "# TYPE jobs_running gauge\njobs_running{queue=\"a\"} 3\njobs_running{queue=\"b\"} 4\n";
    scrapes.scrape(only(scrapes)).await();

    assertThat(values("a")).containsExactly(1.0, 2.0, 3.0);
    assertThat(values("b")).containsExactly(4.0);
    assertThat(store.select(List.of(LabelMatcher.equal("queue", "b")), 0, Long.MAX_VALUE).get(0).labels().get("job"))
        .isEqualTo("exporter");
    assertThat(value("scrape_samples_scraped", "exporter")).isEqualTo(2.0);
    assertThat(value("scrape_samples_post_metric_relabeling", "exporter")).isEqualTo(2.0);
    assertThat(value("scrape_series_added", "exporter")).as("queue b is new").isEqualTo(1.0);
  }

  @Test
  void aBadLineAfterKnownSeriesAppendsNothingOfTheScrape() {
    MutableClock scrapeClock = new MutableClock(clock.instant());
    exposition = "ok_metric 1\n";
    ScrapeManager scrapes = manager("exporter", exporterUri(), scrapeClock);
    scrapes.scrape(only(scrapes)).await();
    scrapeClock.advance(Duration.ofSeconds(15));

    exposition = "ok_metric 2\nbroken{route=\"/\" 2\n";
    scrapes.scrape(only(scrapes)).await();

    assertThat(scrapes.health().get(0).lastError()).startsWith("invalid exposition: 2:");
    List<Double> ok = valuesOf(store.select(List.of(LabelMatcher.equal("__name__", "ok_metric")), 0, Long.MAX_VALUE).get(0));
    assertThat(ok).hasSize(2);
    assertThat(ok.get(0)).isEqualTo(1.0);
    assertThat(Sample.isStale(ok.get(1))).isTrue();
  }

  private List<Double> values(String queue) {
    return valuesOf(store.select(List.of(LabelMatcher.equal("queue", queue)), 0, Long.MAX_VALUE).get(0));
  }

  private static List<Double> valuesOf(Series series) {
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < series.size(); i++) {
      values.add(series.valueAt(i));
    }
    return values;
  }

  @Test
  void leavesASeriesWithItsOwnTimestampUnmarkedWhenItVanishesAsPrometheusDoes() {
    long t = System.currentTimeMillis() - 1000;
    exposition = "jobs_running{queue=\"a\"} 1\njobs_running{queue=\"b\"} 2 " + t + "\n";
    ScrapeManager scrapes = manager("exporter", exporterUri());
    scrapes.scrape(only(scrapes)).await();

    exposition = "";
    scrapes.scrape(only(scrapes)).await();

    Series b = store.select(List.of(LabelMatcher.equal("queue", "b")), 0, Long.MAX_VALUE).get(0);
    assertThat(b.size()).isEqualTo(1);
    assertThat(b.valueAt(0)).isEqualTo(2.0);
    Series a = store.select(List.of(LabelMatcher.equal("queue", "a")), 0, Long.MAX_VALUE).get(0);
    assertThat(Sample.isStale(a.valueAt(a.size() - 1))).isTrue();
  }

  private URI exporterUri() {
    return URI.create("http://127.0.0.1:" + exporter.getAddress().getPort() + "/metrics");
  }

  private ScrapeManager manager(String job, URI url) {
    return manager(job, url, clock);
  }

  private ScrapeManager manager(String job, URI url, Clock scrapeClock) {
    ScrapeConfig config = new ScrapeConfig(Duration.ofSeconds(15), Duration.ofSeconds(10),
        List.of(ScrapeConfig.Job.of(job, List.of(url))));
    return new ScrapeManager(vertx, store, scrapeClock, config);
  }

  private static ScrapeManager.Target only(ScrapeManager scrapes) {
    return scrapes.targets().get(0);
  }

  private double value(String metric, String job) {
    Series series = store.select(List.of(LabelMatcher.equal("__name__", metric), LabelMatcher.equal("job", job)),
        0, Long.MAX_VALUE).get(0);
    return series.valueAt(series.size() - 1);
  }
}
