package dev.scoville.collector;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes events from Kafka topics as a consumer group and adds them to the {@link DerivedSeries}.
 *
 * <p>One loop on one Vert.x context: poll (Kafka's blocking poll runs on the client's own thread),
 * parse and apply the batch, commit the offsets just past it, poll again. Offsets are committed
 * only after their events are in the windows, and the windows remember the last offset applied per
 * partition, so a consumer restarted in the same process (a rebalance, a failed commit, stop and
 * start) skips what it had applied and nothing is lost or counted twice. A process restart starts
 * with empty windows and resumes from the committed offsets: records applied but not yet committed
 * are read again into the fresh windows (not double-counted: the old windows are gone), and the
 * derived series cover less than a full window until one window length has passed.
 */
public final class KafkaEventSource {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaEventSource.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(250);
  private static final long RETRY_MILLIS = 1000;

  private final Vertx vertx;
  private final DerivedSeries derived;
  private final Map<String, String> properties = new HashMap<>();
  private final List<String> topics;
  private final EventParser parser = new EventParser();
  private final RejectedEvents rejected = new RejectedEvents("kafka");
  private final Promise<Void> stopped = Promise.promise();
  private KafkaConsumer<byte[], byte[]> consumer;
  private volatile boolean stopping;

  public KafkaEventSource(Vertx vertx, DerivedSeries derived, EventsConfig.Kafka config) {
    this(vertx, derived, config, Map.of());
  }

  /** {@code overrides} are Kafka consumer properties, e.g. a small max.poll.records in tests. */
  KafkaEventSource(
      Vertx vertx,
      DerivedSeries derived,
      EventsConfig.Kafka config,
      Map<String, String> overrides) {
    this.vertx = vertx;
    this.derived = derived;
    this.topics = config.topics();
    properties.put("bootstrap.servers", config.bootstrapServers());
    properties.put("group.id", config.groupId());
    properties.put("enable.auto.commit", "false");
    // A new group reads what is already in the topics rather than losing it.
    properties.put("auto.offset.reset", "earliest");
    properties.put("max.poll.records", "2000");
    properties.putAll(overrides);
  }

  /** Subscribes and starts the poll loop; the future fails when the subscription does. */
  public Future<Void> start() {
    consumer =
        KafkaConsumer.create(
            vertx, properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.exceptionHandler(e -> LOG.warn("kafka consumer: {}", e.toString()));
    return consumer
        .subscribe(new LinkedHashSet<>(topics))
        .onSuccess(v -> poll())
        .onFailure(e -> stopped.tryComplete());
  }

  /** Finishes the batch in hand (applied and committed), then leaves the group. */
  public Future<Void> stop() {
    if (consumer == null) {
      return Future.succeededFuture();
    }
    stopping = true;
    return stopped.future().compose(v -> consumer.close());
  }

  private void poll() {
    if (stopping) {
      stopped.tryComplete();
      return;
    }
    consumer
        .poll(POLL_TIMEOUT)
        .compose(this::applyAndCommit)
        .onComplete(
            done -> {
              if (done.succeeded()) {
                poll();
              } else {
                // A failed commit leaves the batch applied; its redelivery is skipped by offset.
                LOG.warn(
                    "kafka poll or commit failed, retrying in {} ms: {}",
                    RETRY_MILLIS,
                    done.cause().toString());
                vertx.setTimer(RETRY_MILLIS, id -> poll());
              }
            });
  }

  private Future<Void> applyAndCommit(KafkaConsumerRecords<byte[], byte[]> batch) {
    ConsumerRecords<byte[], byte[]> records = batch.records();
    if (records.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (org.apache.kafka.common.TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> inPartition = records.records(partition);
      long applied = derived.appliedOffset(partition.topic(), partition.partition());
      List<Event> events = new ArrayList<>(inPartition.size());
      int redelivered = 0;
      for (ConsumerRecord<byte[], byte[]> record : inPartition) {
        if (record.offset() <= applied) {
          redelivered++;
          continue;
        }
        try {
          events.add(parser.parse(record.value()));
        } catch (InvalidEventException e) {
          rejected.record(
              partition.topic() + "/" + partition.partition() + "@" + record.offset(), e);
        }
      }
      long last = inPartition.get(inPartition.size() - 1).offset();
      derived.applyPartition(partition.topic(), partition.partition(), events, last, redelivered);
      offsets.put(
          new TopicPartition(partition.topic(), partition.partition()),
          new OffsetAndMetadata(last + 1, ""));
    }
    return consumer.commit(offsets).mapEmpty();
  }
}
