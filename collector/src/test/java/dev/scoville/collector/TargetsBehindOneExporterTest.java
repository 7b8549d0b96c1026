package dev.scoville.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Series;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The blackbox/SNMP exporter pattern: many targets are one host:port with different parameters,
 * each answering slowly but within the timeout. None may queue behind another's connection. The
 * timeout leaves a busy machine 1.5 s of room; the scrapes, spread over the interval, keep about
 * 15 answers in flight at once, which a per-host pool of a few connections would queue.
 */
class TargetsBehindOneExporterTest {
  private static final Duration INTERVAL = Duration.ofSeconds(4);
  private static final Duration TIMEOUT = Duration.ofSeconds(4);
  private static final long ANSWER_AFTER_MILLIS = 2_500;
  private static final int TARGETS = 24;

  private final Vertx vertx = Vertx.vertx();
  private final SeriesStore store = new SeriesStore(Duration.ofHours(1), Clock.systemUTC());

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void everyScrapeOfSlowTargetsOnOneHostSucceeds() throws Exception {
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger mostConcurrent = new AtomicInteger();
    HttpServer exporter = vertx.createHttpServer().requestHandler(request -> {
      mostConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
      String target = request.getParam("target");
      vertx.setTimer(ANSWER_AFTER_MILLIS, id -> {
        concurrent.decrementAndGet();
        request.response().putHeader("Content-Type", "text/plain; version=0.0.4")
            .end("# TYPE probe_success gauge\nprobe_success{probed=\"" + target + "\"} 1\n");
      });
    }).listen(0, "127.0.0.1").await();
    List<URI> targets = new ArrayList<>();
    for (int i = 0; i < TARGETS; i++) {
      targets.add(URI.create("http://127.0.0.1:" + exporter.actualPort() + "/probe?target=host" + i));
    }
    ScrapeManager scrapes = new ScrapeManager(vertx, store, Clock.systemUTC(),
        new ScrapeConfig(INTERVAL, TIMEOUT, List.of(new ScrapeConfig.Job("blackbox", null, null, targets, null, null,
            List.of(new ScrapeConfig.RelabelRule(null, List.of("__param_target"), null, null, "instance", null)),
            null, null, 0, 0, 0, 0, 0))));

    scrapes.start();
    Thread.sleep(INTERVAL.multipliedBy(3).plusMillis(ANSWER_AFTER_MILLIS + 500).toMillis());
    List<TargetHealth> health = scrapes.health();
    scrapes.close();

    assertThat(health).hasSize(TARGETS).allSatisfy(target -> {
      assertThat(target.up()).as("%s: %s", target.url(), target.lastError()).isTrue();
      assertThat(target.lastDurationMillis()).isGreaterThanOrEqualTo(ANSWER_AFTER_MILLIS);
    });
    List<Double> up = values(store.select(List.of(LabelMatcher.equal("__name__", "up")), 0, Long.MAX_VALUE));
    assertThat(up).hasSizeGreaterThanOrEqualTo(TARGETS * 2).containsOnly(1.0);
    assertThat(store.select(List.of(LabelMatcher.equal("__name__", "probe_success")), 0, Long.MAX_VALUE))
        .hasSize(TARGETS);
    // Nothing waited for another target's connection: the exporter saw them all at once.
    assertThat(mostConcurrent.get()).isGreaterThan(TARGETS / 2);
  }

  private static List<Double> values(List<Series> series) {
    List<Double> values = new ArrayList<>();
    for (Series s : series) {
      for (int i = 0; i < s.size(); i++) {
        values.add(s.valueAt(i));
      }
    }
    return values;
  }
}
