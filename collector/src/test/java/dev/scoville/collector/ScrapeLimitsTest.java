package dev.scoville.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.scoville.core.LabelMatcher;
import dev.scoville.core.MutableClock;
import dev.scoville.core.Series;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Prometheus's per-job limits: over one, the scrape fails with the reason and stores nothing. */
class ScrapeLimitsTest {
  /** Three samples; each series has 5 labels with job and instance; longest name 16, value 9. */
  private static final String EXPOSITION = """
      # TYPE orders_total counter
      orders_total{customer_segment="wholesale",route="/a"} 1
      orders_total{customer_segment="retail",route="/b"} 2
      orders_total{customer_segment="retail",route="/c"} 3
      """;

  private final Clock clock = Clock.systemUTC();
  private final SeriesStore store = new SeriesStore(Duration.ofHours(1), clock);
  private Vertx vertx;
  private HttpServer exporter;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    exporter = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    exporter.createContext("/", exchange -> {
      byte[] body = EXPOSITION.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    exporter.start();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    exporter.stop(0);
  }

  @Test
  void sampleLimit() {
    assertThat(scrapeWith(3, 0, 0, 0)).isNull();
    assertThat(scrapeWith(2, 0, 0, 0)).isEqualTo("sample_limit exceeded (number of samples: 3, limit: 2)");
  }

  @Test
  void sampleLimitCountsWhatMetricRelabelingKeeps() {
    ScrapeManager scrapes = new ScrapeManager(vertx, store, clock, config(new ScrapeConfig.Job("limited", null, null,
        List.of(url("/")), null, null, null,
        List.of(new ScrapeConfig.RelabelRule("drop", List.of("route"), null, "/c", null, null)), null, 2, 0, 0, 0, 0)));

    scrapes.scrape(scrapes.targets().get(0)).await();

    assertThat(scrapes.health().get(0).lastError()).isNull();
    assertThat(orders()).hasSize(2);
  }

  @Test
  void labelLimit() {
    assertThat(scrapeWith(0, 5, 0, 0)).isNull();
    assertThat(scrapeWith(0, 4, 0, 0)).isEqualTo("label_limit exceeded (metric: orders_total, number of labels: 5, limit: 4)");
  }

  @Test
  void labelNameLengthLimit() {
    assertThat(scrapeWith(0, 0, 16, 0)).isNull();
    assertThat(scrapeWith(0, 0, 15, 0)).isEqualTo(
        "label_name_length_limit exceeded (metric: orders_total, label name: customer_segment, length: 16, limit: 15)");
  }

  @Test
  void labelValueLengthLimit() {
    // The instance label, 127.0.0.1:<port>, is the longest value: limit it by the exposition's instead.
    int instance = ("127.0.0.1:" + exporter.getAddress().getPort()).length();
    assertThat(scrapeWith(0, 0, 0, instance)).isNull();
    assertThat(scrapeWith(0, 0, 0, instance - 1)).startsWith("label_value_length_limit exceeded (metric: orders_total, label name: instance");
  }

  @Test
  void targetLimit() {
    List<URI> three = List.of(url("/1"), url("/2"), url("/3"));
    ScrapeManager within = manager(new ScrapeConfig.Job("fleet", null, null, three, null, null, null, null, null, 0, 0, 0, 0, 3));
    for (ScrapeManager.Target target : within.targets()) {
      within.scrape(target).await();
    }
    assertThat(within.health()).allSatisfy(h -> assertThat(h.up()).isTrue());
    within.close();

    SeriesStore other = new SeriesStore(Duration.ofHours(1), clock);
    ScrapeManager over = new ScrapeManager(vertx, other, clock,
        config(new ScrapeConfig.Job("fleet", null, null, three, null, null, null, null, null, 0, 0, 0, 0, 2)));
    for (ScrapeManager.Target target : over.targets()) {
      over.scrape(target).await();
    }
    assertThat(over.health()).hasSize(3).allSatisfy(h -> {
      assertThat(h.up()).isFalse();
      assertThat(h.lastError()).isEqualTo("target_limit exceeded (number of targets: 3, limit: 2)");
    });
    assertThat(other.select(List.of(LabelMatcher.equal("__name__", "orders_total")), 0, Long.MAX_VALUE)).isEmpty();
    over.close();
  }

  /** Scrapes the exporter twice (the second through the scrape cache) with the limits given; the error, if any. */
  private String scrapeWith(int samples, int labels, int nameLength, int valueLength) {
    // Its own clock, so that the second scrape's samples are newer than the first's.
    MutableClock scrapeClock = new MutableClock(clock.instant());
    SeriesStore fresh = new SeriesStore(Duration.ofHours(1), scrapeClock);
    ScrapeManager scrapes = new ScrapeManager(vertx, fresh, scrapeClock, config(new ScrapeConfig.Job("limited", null, null,
        List.of(url("/")), null, null, null, null, null, samples, labels, nameLength, valueLength, 0)));
    ScrapeManager.Target target = scrapes.targets().get(0);
    scrapes.scrape(target).await();
    scrapeClock.advance(Duration.ofSeconds(15));
    scrapes.scrape(target).await();
    TargetHealth health = scrapes.health().get(0);
    List<Series> up = fresh.select(List.of(LabelMatcher.equal("__name__", "up")), 0, Long.MAX_VALUE);
    double lastUp = up.get(0).valueAt(up.get(0).size() - 1);
    List<Series> orders = fresh.select(List.of(LabelMatcher.equal("__name__", "orders_total")), 0, Long.MAX_VALUE);
    scrapes.close();
    if (health.up()) {
      assertThat(lastUp).isEqualTo(1.0);
      assertThat(orders).hasSize(3).allSatisfy(series -> assertThat(series.size()).isEqualTo(2));
      return null;
    }
    assertThat(lastUp).isEqualTo(0.0);
    assertThat(orders).isEmpty();
    return health.lastError();
  }

  private List<Series> orders() {
    return store.select(List.of(LabelMatcher.equal("__name__", "orders_total")), 0, Long.MAX_VALUE);
  }

  private ScrapeManager manager(ScrapeConfig.Job job) {
    return new ScrapeManager(vertx, store, clock, config(job));
  }

  private static ScrapeConfig config(ScrapeConfig.Job job) {
    return new ScrapeConfig(Duration.ofSeconds(15), Duration.ofSeconds(10), List.of(job));
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + exporter.getAddress().getPort() + path);
  }
}
