package dev.scoville.collector.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.collector.KafkaTestBroker;
import dev.scoville.collector.ScrapeConfig;
import dev.scoville.collector.ScrapeManager;
import dev.scoville.collector.SeriesStore;
import dev.scoville.collector.TargetHealth;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two instances share their targets through a consumer group on a real KRaft broker in this JVM. */
class MembershipTest {
  private static final List<URI> TARGETS =
      IntStream.range(0, 24).mapToObj(i -> URI.create("http://127.0.0.1:9/shop-" + i + "/metrics")).toList();

  private static KafkaClusterTestKit cluster;
  private static Vertx vertx;

  @BeforeAll
  static void startBroker() throws Exception {
    cluster = KafkaTestBroker.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    vertx.close().await();
    cluster.close();
  }

  @Test
  void twoMembersSplitTheTargetsAndTheOneLeftTakesThemAllWhenTheOtherCloses() {
    ClusterConfig config = new ClusterConfig(cluster.bootstrapServers(), "members-split", 8, Duration.ofSeconds(6));
    ScrapeManager first = scrapes();
    ScrapeManager second = scrapes();
    try (Membership one = Membership.join(config, m -> first.scrapeOnly(m::owns))) {
      Membership two = Membership.join(config, m -> second.scrapeOnly(m::owns));
      try {
        await("the targets split between both", () -> {
          Set<URI> a = urls(first);
          Set<URI> b = urls(second);
          return !a.isEmpty() && !b.isEmpty() && a.size() + b.size() == TARGETS.size()
              && new HashSet<>(TARGETS).equals(union(a, b));
        });
        assertThat(union(one.ownedSlots(), two.ownedSlots())).hasSize(8);
        assertThat(one.ownedSlots()).doesNotContainAnyElementsOf(two.ownedSlots());
        for (URI target : urls(first)) {
          assertThat(one.ownedSlots()).contains(Membership.slotOf("shop", target, 8));
        }
      } finally {
        two.close();
      }
      await("the first taking every target", () -> urls(first).size() == TARGETS.size());
      assertThat(one.ownedSlots()).hasSize(8);
    } finally {
      first.close();
      second.close();
    }
  }

  @Test
  void aTargetsSlotIsTheSameForEveryInstanceAndSpreadsTargetsOverSlots() {
    URI url = URI.create("http://shop-1:8080/metrics");
    assertThat(Membership.slotOf("shop", url, 64)).isEqualTo(Membership.slotOf("shop", URI.create(url.toString()), 64))
        .isBetween(0, 63);
    long used = TARGETS.stream().map(t -> Membership.slotOf("shop", t, 8)).distinct().count();
    assertThat(used).isGreaterThan(4);
  }

  private static ScrapeManager scrapes() {
    ScrapeManager scrapes = new ScrapeManager(vertx, new SeriesStore(Duration.ofHours(1), Clock.systemUTC()),
        Clock.systemUTC(), new ScrapeConfig(Duration.ofSeconds(15), Duration.ofSeconds(1),
            List.of(ScrapeConfig.Job.of("shop", TARGETS))));
    // As the application does: nothing until the group assigns this instance its slots.
    scrapes.scrapeOnly((job, url) -> false);
    scrapes.start();
    return scrapes;
  }

  private static Set<URI> urls(ScrapeManager scrapes) {
    Set<URI> urls = new HashSet<>();
    for (TargetHealth health : scrapes.health()) {
      urls.add(health.url());
    }
    return urls;
  }

  private static <T> Set<T> union(Set<T> a, Set<T> b) {
    Set<T> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }

  /** Waits for what Kafka's rebalances bring about, up to the 30 s in which a target must move. */
  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
