package dev.scoville.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Series;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** 200 local targets, of which 10 hang and 10 answer garbage: the rest are scraped undisturbed. */
class ManyTargetsScrapeTest {
  private static final Duration INTERVAL = Duration.ofMillis(2000);
  private static final Duration TIMEOUT = Duration.ofMillis(1500);

  private final Vertx vertx = Vertx.vertx();
  private final SeriesStore store = new SeriesStore(Duration.ofHours(1), Clock.systemUTC());
  private final List<HttpServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void healthyTargetsAreScrapedEveryIntervalWhileOthersHangOrAnswerGarbage() throws Exception {
    List<URI> healthy = new ArrayList<>();
    List<URI> hanging = new ArrayList<>();
    List<URI> garbage = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      if (i % 20 == 3) {
        hanging.add(serve(request -> {}));
      } else if (i % 20 == 11) {
        garbage.add(serve(request -> request.response().end("shop_orders_total{route=\"/\" 12\n")));
      } else {
        int n = i;
        healthy.add(serve(request -> request.response()
            .putHeader("Content-Type", "text/plain; version=0.0.4")
            .end("# TYPE shop_orders_total counter\nshop_orders_total{shard=\"" + n + "\"} " + n + "\n")));
      }
    }
    List<URI> all = new ArrayList<>(healthy);
    all.addAll(hanging);
    all.addAll(garbage);
    ScrapeManager scrapes = new ScrapeManager(vertx, store, Clock.systemUTC(),
        new ScrapeConfig(INTERVAL, TIMEOUT, List.of(ScrapeConfig.Job.of("fleet", all))));

    Instant started = Instant.now();
    scrapes.start();
    // Enough time for every hanging target to time out several times over.
    Thread.sleep(INTERVAL.multipliedBy(6).toMillis());
    double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
    Map<URI, TargetHealth> health = scrapes.health().stream()
        .collect(Collectors.toMap(TargetHealth::url, Function.identity()));
    scrapes.close();
    assertThat(health).hasSize(200);
    for (URI url : hanging) {
      assertThat(health.get(url).up()).isFalse();
      assertThat(health.get(url).lastError()).isEqualTo("timed out");
    }
    for (URI url : garbage) {
      assertThat(health.get(url).up()).isFalse();
      assertThat(health.get(url).lastError()).isEqualTo("invalid exposition: 1:29: expected ',' or '}' after the value of label \"route\"");
    }
    // A hanging neighbour costs a healthy target nothing: it was scraped as often as the hanging ones
    // were tried (less the first scrape, which a cold JVM on a busy machine may miss).
    int hangingAttempts = upSamples(hanging.get(0)).size();
    assertThat(hangingAttempts).isGreaterThanOrEqualTo(3);
    for (URI url : healthy) {
      assertThat(upSamples(url).stream().filter(v -> v == 1.0).count())
          .as("successful scrapes of %s in %.1f s", url, seconds).isGreaterThanOrEqualTo(hangingAttempts - 2);
    }
    assertThat(store.select(List.of(LabelMatcher.equal("__name__", "shop_orders_total")), 0, Long.MAX_VALUE))
        .hasSize(healthy.size());
  }

  private List<Double> upSamples(URI url) {
    List<Series> up = store.select(List.of(LabelMatcher.equal("__name__", "up"),
        LabelMatcher.equal("instance", url.getHost() + ":" + url.getPort())), 0, Long.MAX_VALUE);
    List<Double> values = new ArrayList<>();
    for (Series s : up) {
      for (int i = 0; i < s.size(); i++) {
        values.add(s.valueAt(i));
      }
    }
    return values;
  }

  private URI serve(io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> handler) {
    HttpServer server = vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1").await();
    servers.add(server);
    return URI.create("http://127.0.0.1:" + server.actualPort() + "/metrics");
  }
}
