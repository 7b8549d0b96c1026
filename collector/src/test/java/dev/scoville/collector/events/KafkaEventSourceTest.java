package dev.scoville.collector.events;

import static dev.scoville.collector.events.FixedShopEvents.counter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.collector.KafkaTestBroker;
import dev.scoville.collector.SeriesStore;
import dev.scoville.core.MutableClock;
import io.vertx.core.Future;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against a real KRaft broker started in this JVM. */
class KafkaEventSourceTest {
  private static KafkaClusterTestKit cluster;
  private static Admin admin;
  private static KafkaProducer<String, String> producer;

  private final MutableClock clock = new MutableClock(FixedShopEvents.NOW);
  private final SeriesStore store = new SeriesStore(Duration.ofHours(1), clock);
  private final DerivedSeries derived = new DerivedSeries(store, clock, EventsConfig.defaults());

  @BeforeAll
  static void startBroker() throws Exception {
    cluster = KafkaTestBroker.start();
    admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
    producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", cluster.bootstrapServers(), "acks", "all"),
            new StringSerializer(),
            new StringSerializer());
  }

  @AfterAll
  static void stopBroker() throws Exception {
    producer.close();
    admin.close();
    cluster.close();
  }

  @Test
  void eventsProducedToKafkaBecomeTheDerivedSeriesAndABadOneIsRefusedByOffset() throws Exception {
    String topic = createTopic("shop-events-values");
    double acceptedBefore = counter("scoville_events_accepted_total", "source", "kafka");
    double rejectedBefore =
        counter("scoville_events_rejected_total", "source", "kafka", "reason", "missing_session");
    List<String> events = FixedShopEvents.EVENTS;
    for (int i = 0; i < events.size(); i++) {
      producer.send(new ProducerRecord<>(topic, i % 2, null, events.get(i))).get();
    }
    RecordMetadata bad =
        producer
            .send(
                new ProducerRecord<>(
                    topic,
                    0,
                    null,
                    "{\"type\":\"page_view\",\"time\":\"2026-11-23T12:00:01Z\",\"page\":\"/\",\"load_ms\":1}"))
            .get();

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(new TeeStream(originalErr, log), true, StandardCharsets.UTF_8));
    KafkaEventSource source = source(topic, "values", Map.of());
    try {
      await(source.start());
      waitUntil(
          () -> counter("scoville_events_accepted_total", "source", "kafka") - acceptedBefore, 20);
      waitUntil(
          () ->
              counter(
                      "scoville_events_rejected_total",
                      "source",
                      "kafka",
                      "reason",
                      "missing_session")
                  - rejectedBefore,
          1);
    } finally {
      await(source.stop());
      System.setErr(originalErr);
    }

    derived.evaluate();
    FixedShopEvents.assertDerivedValues(store);
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("refused event " + topic + "/0@" + bad.offset() + ": missing field 'session'");
  }

  @Test
  void restartingTheConsumerMidStreamLosesAndDoubleCountsNothing() throws Exception {
    String topic = createTopic("shop-events-restart");
    String group = "restart";
    double acceptedBefore = counter("scoville_events_accepted_total", "source", "kafka");
    DoubleSupplier accepted =
        () -> counter("scoville_events_accepted_total", "source", "kafka") - acceptedBefore;
    List<String> events = FixedShopEvents.EVENTS;
    for (int i = 0; i < 10; i++) {
      producer.send(new ProducerRecord<>(topic, i % 2, null, events.get(i))).get();
    }

    // One record per poll, so that the stop usually lands mid-stream (wherever it lands, nothing
    // may be lost or counted again).
    KafkaEventSource first = source(topic, group, Map.of("max.poll.records", "1"));
    await(first.start());
    waitUntil(accepted, 3);
    await(first.stop());
    double acceptedByFirst = accepted.getAsDouble();
    for (int i = 10; i < events.size(); i++) {
      producer.send(new ProducerRecord<>(topic, i % 2, null, events.get(i))).get();
    }
    KafkaEventSource second = source(topic, group, Map.of());
    await(second.start());
    waitUntil(accepted, 20);
    Thread.sleep(500);
    await(second.stop());

    assertThat(acceptedByFirst).isBetween(3.0, 10.0);
    assertThat(accepted.getAsDouble()).isEqualTo(20);
    derived.evaluate();
    FixedShopEvents.assertDerivedValues(store);

    // A commit lost in a crash: the group's offsets go back to the start; the windows skip it all.
    double redeliveredBefore = counter("scoville_events_redelivered_total");
    admin
        .alterConsumerGroupOffsets(
            group,
            Map.of(
                new TopicPartition(topic, 0), new OffsetAndMetadata(0),
                new TopicPartition(topic, 1), new OffsetAndMetadata(0)))
        .all()
        .get(30, TimeUnit.SECONDS);
    KafkaEventSource third = source(topic, group, Map.of());
    await(third.start());
    waitUntil(() -> counter("scoville_events_redelivered_total") - redeliveredBefore, 20);
    await(third.stop());

    assertThat(accepted.getAsDouble()).isEqualTo(20);
    clock.advance(Duration.ofMillis(1));
    derived.evaluate();
    FixedShopEvents.assertDerivedValues(store);
  }

  @Test
  void stoppingCommitsEverythingAppliedWithoutWaitingForTheCommitInterval() throws Exception {
    String topic = createTopic("shop-events-stop-commits");
    String group = "stop-commits";
    double acceptedBefore = counter("scoville_events_accepted_total", "source", "kafka");
    List<String> events = FixedShopEvents.EVENTS;
    for (int i = 0; i < events.size(); i++) {
      producer.send(new ProducerRecord<>(topic, i % 2, null, events.get(i))).get();
    }

    KafkaEventSource source = source(topic, group, Duration.ofHours(1), Map.of());
    await(source.start());
    waitUntil(
        () -> counter("scoville_events_accepted_total", "source", "kafka") - acceptedBefore, 20);
    assertThat(committed(group)).isEmpty();
    await(source.stop());

    assertThat(committed(group))
        .containsOnly(
            Map.entry(new TopicPartition(topic, 0), 10L),
            Map.entry(new TopicPartition(topic, 1), 10L));
  }

  @Test
  void appliedOffsetsAreCommittedEveryIntervalWhileConsuming() throws Exception {
    String topic = createTopic("shop-events-interval");
    String group = "interval";
    List<String> events = FixedShopEvents.EVENTS;
    for (int i = 0; i < events.size(); i++) {
      producer.send(new ProducerRecord<>(topic, i % 2, null, events.get(i))).get();
    }

    KafkaEventSource source = source(topic, group, Duration.ofMillis(100), Map.of());
    await(source.start());
    try {
      waitUntil(() -> committed(group).values().stream().mapToLong(Long::longValue).sum(), 20);
    } finally {
      await(source.stop());
    }

    assertThat(committed(group))
        .containsOnly(
            Map.entry(new TopicPartition(topic, 0), 10L),
            Map.entry(new TopicPartition(topic, 1), 10L));
  }

  @Test
  void aLargeBatchParsedOnTwoThreadsKeepsThePartitionOrderAndCountsEachRecordOnce()
      throws Exception {
    String topic = "shop-events-large-batch";
    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    double acceptedBefore = counter("scoville_events_accepted_total", "source", "kafka");
    double rejectedBefore =
        counter("scoville_events_rejected_total", "source", "kafka", "reason", "missing_sku");
    // Stock levels of one SKU at one instant: the last one applied is the level, so a batch whose
    // parts were joined out of order would end on the level of another part.
    int records = 6_000;
    for (int level = 1; level <= records; level++) {
      String sku = level % 100 == 0 ? "" : ",\"sku\":\"A\"";
      String event = FixedShopEvents.event("inventory_level", 0, "\"level\":" + level + sku);
      producer.send(new ProducerRecord<>(topic, 0, null, event));
    }
    producer.flush();

    KafkaEventSource source = source(topic, "large-batch", Map.of());
    try {
      await(source.start());
      waitUntil(
          () ->
              counter("scoville_events_accepted_total", "source", "kafka")
                  - acceptedBefore
                  + counter(
                      "scoville_events_rejected_total", "source", "kafka", "reason", "missing_sku")
                  - rejectedBefore,
          records);
      if (Runtime.getRuntime().availableProcessors() > 1) {
        assertThat(Thread.getAllStackTraces().keySet())
            .extracting(Thread::getName)
            .contains("scoville-kafka-parse");
      }
    } finally {
      await(source.stop());
    }

    assertThat(counter("scoville_events_accepted_total", "source", "kafka") - acceptedBefore)
        .isEqualTo(records - records / 100);
    assertThat(
            counter("scoville_events_rejected_total", "source", "kafka", "reason", "missing_sku")
                - rejectedBefore)
        .isEqualTo(records / 100);
    derived.evaluate();
    assertThat(FixedShopEvents.latest(store, "scoville_shop_stock_level", "sku", "A"))
        .isEqualTo(records - 1);
  }

  private static Map<TopicPartition, Long> committed(String group) {
    try {
      Map<TopicPartition, Long> offsets = new java.util.HashMap<>();
      admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS)
          .forEach((partition, offset) -> offsets.put(partition, offset.offset()));
      return offsets;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private KafkaEventSource source(String topic, String group, Map<String, String> overrides) {
    return source(topic, group, Duration.ofSeconds(1), overrides);
  }

  private KafkaEventSource source(
      String topic, String group, Duration commitInterval, Map<String, String> overrides) {
    return new KafkaEventSource(
        derived,
        new EventsConfig.Kafka(
            true, cluster.bootstrapServers(), List.of(topic), group, null, commitInterval),
        overrides);
  }

  private static String createTopic(String name) throws Exception {
    admin.createTopics(List.of(new NewTopic(name, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
    return name;
  }

  private static void waitUntil(DoubleSupplier value, double atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (value.getAsDouble() < atLeast) {
      assertThat(System.nanoTime())
          .as("waiting for %s, at %s", atLeast, value.getAsDouble())
          .isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Copies what the logger writes to standard error, to find a refusal's line. */
  private static final class TeeStream extends java.io.OutputStream {
    private final PrintStream original;
    private final ByteArrayOutputStream copy;

    TeeStream(PrintStream original, ByteArrayOutputStream copy) {
      this.original = original;
      this.copy = copy;
    }

    @Override
    public synchronized void write(int b) {
      original.write(b);
      copy.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      original.write(b, off, len);
      copy.write(b, off, len);
    }
  }
}
