package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.collector.SeriesStore;
import dev.scoville.core.Database;
import dev.scoville.core.LabelMatcher;
import dev.scoville.core.Labels;
import dev.scoville.core.MutableClock;
import dev.scoville.core.Sample;
import dev.scoville.core.Series;
import dev.scoville.core.SeriesReader;
import dev.scoville.rules.promql.PromQl;
import dev.scoville.rules.promql.PromQlException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Evaluations set off by new samples go on while the incidents they opened are being committed:
 * when each waited for its commit, the evaluator fell behind at 1,000 new alerts a second.
 */
class EvaluationBesideCommitsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T09:00:00Z"));
  private final SeriesStore store = new SeriesStore(Duration.ofHours(1), clock);
  /** The metrics the evaluator has read, by the rules' selectors. */
  private final Set<String> read = ConcurrentHashMap.newKeySet();
  /** Holds the committer, as a slow disk would. */
  private final CountDownLatch disk = new CountDownLatch(1);
  private Database database;
  private IncidentService incidents;
  private RuleEvaluator evaluator;

  @BeforeEach
  void start() {
    database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    database.migrate("rules");
    incidents = new IncidentService(database, clock, EscalationPolicies.defaults(SlackConfig.none()));
    RuleGroup group = new RuleGroup("rules.yml", "queues", Duration.ofHours(1),
        List.of(rule("OrdersQueueStuck", "orders_queue_stuck > 0"), rule("MailQueueStuck", "mail_queue_stuck > 0")));
    evaluator = new RuleEvaluator(List.of(group), new ReadRecorder(), store::append, incidents,
        new AlertStateStore(database), clock);
    evaluator.start();
  }

  @AfterEach
  void stop() {
    disk.countDown();
    evaluator.close();
    incidents.close();
    database.close();
  }

  @Test
  void aRuleIsEvaluatedWhileTheIncidentOfAnotherWaitsForItsCommit() throws Exception {
    HeldCommits.hold(incidents, disk);

    append("orders_queue_stuck");
    assertThat(Eventually.await(() -> read.contains("orders_queue_stuck"), Duration.ofSeconds(5))).isTrue();
    append("mail_queue_stuck");

    assertThat(Eventually.await(() -> read.contains("mail_queue_stuck"), Duration.ofSeconds(5)))
        .as("the second rule evaluated while the first one's incident waits for the disk").isTrue();
    assertThat(incidents.recent(10)).isEmpty();
    disk.countDown();
    assertThat(Eventually.await(() -> incidents.recent(10).size() == 2, Duration.ofSeconds(5))).isTrue();
    assertThat(incidents.recent(10)).extracting(Incident::rule)
        .containsExactlyInAnyOrder("OrdersQueueStuck", "MailQueueStuck");
  }

  private void append(String metric) {
    store.append(List.of(new Sample(Labels.of("__name__", metric, "queue", "q1"), clock.millis(), 1)));
  }

  private static AlertRule rule(String name, String expression) {
    try {
      return new AlertRule(name, PromQl.parse(expression),
          new AlertRule.Lifecycle(Duration.ZERO, Duration.ZERO, null, null, Duration.ZERO), Map.of("severity", "critical"),
          Map.of("summary", "{{ $labels.queue }} is stuck"), Handling.DEFAULT);
    } catch (PromQlException e) {
      throw new AssertionError(e);
    }
  }

  /** The store, noting the metric each selector of an evaluation asks for. */
  private final class ReadRecorder implements SeriesReader {
    @Override
    public List<Series> select(List<LabelMatcher> matchers, long fromMillis, long toMillis) {
      matchers.stream().filter(m -> m.name().equals(Labels.METRIC_NAME)).forEach(m -> read.add(m.value()));
      return store.select(matchers, fromMillis, toMillis);
    }

    @Override
    public void onAppend(Consumer<Set<String>> metricNames) {
      store.onAppend(metricNames);
    }
  }
}
