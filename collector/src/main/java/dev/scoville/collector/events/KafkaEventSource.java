package dev.scoville.collector.events;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes events from Kafka topics as a consumer group and adds them to the {@link DerivedSeries}.
 *
 * <p>Threads in a pipeline, so that fetching and parsing the next batch overlaps adding this one to
 * the windows: the poll thread owns the kafka-clients consumer (it is not thread-safe), parses each
 * batch and hands the events to the apply thread through a queue of two batches, which bounds
 * memory and slows the poll when applying falls behind. Fetching and parsing cost more than
 * applying (a profile of the harness, even with the bytes reader, put two thirds of the samples on
 * the poll thread), so on a machine with more than one core a large batch is parsed on two threads:
 * the second half of every partition's records on a parse thread while the poll thread parses the
 * first, joined in order before the hand-over. Offsets are committed only once their events are in
 * the windows, asynchronously every {@code commitInterval} so that no poll waits for the broker,
 * and synchronously when partitions are revoked or the source stops.
 *
 * <p>Guarantees: the windows remember the last offset applied per partition, so a record
 * delivered again in the same process (a rebalance, a failed or not-yet-sent commit, stop and
 * start) is skipped: nothing is lost or counted twice. A process restart starts with empty windows
 * and resumes from the committed offsets; what was applied in the last commit interval before a
 * crash is read again, into the fresh windows (the old ones are gone, so it is counted once in each
 * process's windows, and the {@code _total} counters restart from zero as Prometheus counters do).
 * That is at-least-once delivery plus de-duplication by offset within a process.
 */
public final class KafkaEventSource {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaEventSource.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(250);
  private static final long RETRY_MILLIS = 1000;
  private static final List<Parsed> STOP = List.of();

  /** Batches smaller than this are parsed on the poll thread alone: halving them gains nothing. */
  private static final int SPLIT_AT_RECORDS = 1_000;

  private final DerivedSeries derived;
  private final Map<String, Object> properties = new HashMap<>();
  private final List<String> topics;
  private final long commitIntervalNanos;
  private final EventParser parser = new EventParser();

  /** The parse thread's own parser (a parser is not thread-safe); null on a one-core machine. */
  private final EventParser helperParser;

  private final ExecutorService parseThread;
  private final RejectedEvents rejected = new RejectedEvents("kafka");
  private final BlockingQueue<List<Parsed>> handoff = new ArrayBlockingQueue<>(2);

  /** The next offset to commit per partition: written by the apply thread, taken by the poll. */
  private final Map<TopicPartition, Long> applied = new ConcurrentHashMap<>();

  private final Promise<Void> started = Promise.promise();
  private final Promise<Void> stopped = Promise.promise();
  private final Object progress = new Object();
  private long handed;
  private long done;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile boolean threadsStarted;
  private volatile boolean stopping;

  public KafkaEventSource(DerivedSeries derived, EventsConfig.Kafka config) {
    this(derived, config, Map.of());
  }

  /** {@code overrides} are Kafka consumer properties, e.g. a small max.poll.records in tests. */
  KafkaEventSource(DerivedSeries derived, EventsConfig.Kafka config, Map<String, String> overrides) {
    this.derived = derived;
    this.topics = config.topics();
    this.commitIntervalNanos = config.commitInterval().toNanos();
    properties.put("bootstrap.servers", config.bootstrapServers());
    properties.put("group.id", config.groupId());
    properties.put("enable.auto.commit", "false");
    // A new group reads what is already in the topics rather than losing it.
    properties.put("auto.offset.reset", "earliest");
    properties.put("max.poll.records", String.valueOf(config.maxPollRecords()));
    properties.putAll(overrides);
    boolean spareCore = Runtime.getRuntime().availableProcessors() > 1;
    helperParser = spareCore ? new EventParser() : null;
    parseThread =
        spareCore
            ? Executors.newSingleThreadExecutor(
                task -> {
                  Thread thread = new Thread(task, "scoville-kafka-parse");
                  thread.setDaemon(true);
                  return thread;
                })
            : null;
  }

  /**
   * Starts the poll and apply threads; the future fails when the consumer cannot be created or
   * subscribed (e.g. bootstrap servers that do not resolve).
   */
  public Future<Void> start() {
    threadsStarted = true;
    Thread poll = new Thread(this::pollLoop, "scoville-kafka-poll");
    Thread apply = new Thread(this::applyLoop, "scoville-kafka-apply");
    poll.setDaemon(true);
    apply.setDaemon(true);
    apply.start();
    poll.start();
    return started.future();
  }

  /** Finishes the batches in hand (applied and committed), then leaves the group. */
  public Future<Void> stop() {
    if (!threadsStarted) {
      return Future.succeededFuture();
    }
    stopping = true;
    KafkaConsumer<byte[], byte[]> running = consumer;
    if (running != null) {
      running.wakeup();
    }
    return stopped.future();
  }

  private void pollLoop() {
    try {
      consumer =
          new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      consumer.subscribe(topics, new CommitOnRevoke());
    } catch (RuntimeException e) {
      handoff.offer(STOP);
      if (parseThread != null) {
        parseThread.shutdown();
      }
      started.tryFail(e);
      stopped.tryComplete();
      return;
    }
    started.tryComplete();
    long lastCommit = System.nanoTime();
    while (!stopping) {
      try {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
        if (!records.isEmpty()) {
          hand(parse(records));
        }
        if (System.nanoTime() - lastCommit >= commitIntervalNanos) {
          lastCommit = System.nanoTime();
          commitAsync();
        }
      } catch (WakeupException e) {
        // stop() woke the poll; the loop condition ends it.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.warn("kafka poll failed, retrying in {} ms: {}", RETRY_MILLIS, e.toString());
        sleepQuietly();
      }
    }
    try {
      awaitApplied();
      commitSync(null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      handoff.offer(STOP);
      if (parseThread != null) {
        parseThread.shutdown();
      }
      try {
        consumer.close();
      } catch (RuntimeException e) {
        LOG.warn("kafka consumer close: {}", e.toString());
      }
      stopped.tryComplete();
    }
  }

  private void hand(List<Parsed> batch) throws InterruptedException {
    synchronized (progress) {
      handed++;
    }
    handoff.put(batch);
  }

  /** Waits until every batch handed to the apply thread is in the windows. */
  private void awaitApplied() throws InterruptedException {
    synchronized (progress) {
      while (done < handed) {
        progress.wait();
      }
    }
  }

  private void commitAsync() {
    Map<TopicPartition, OffsetAndMetadata> offsets = takeApplied(null);
    if (!offsets.isEmpty()) {
      consumer.commitAsync(
          offsets,
          (committed, e) -> {
            if (e != null) {
              // The offsets stay applied; a later commit (or a redelivery, skipped) covers them.
              LOG.warn("kafka commit failed: {}", e.toString());
            }
          });
    }
  }

  /** Commits what is applied, of {@code only} these partitions or (null) all of them. */
  private void commitSync(Collection<TopicPartition> only) {
    Map<TopicPartition, OffsetAndMetadata> offsets = takeApplied(only);
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets);
    } catch (WakeupException e) {
      // A stop() that came after the last poll: the commit it wants still has to go out.
      commitSyncOnce(offsets);
    } catch (RuntimeException e) {
      LOG.warn("kafka commit failed: {}", e.toString());
    }
  }

  private void commitSyncOnce(Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      consumer.commitSync(offsets);
    } catch (RuntimeException e) {
      LOG.warn("kafka commit failed: {}", e.toString());
    }
  }

  private Map<TopicPartition, OffsetAndMetadata> takeApplied(Collection<TopicPartition> only) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (Map.Entry<TopicPartition, Long> e : applied.entrySet()) {
      if (only == null || only.contains(e.getKey())) {
        offsets.put(e.getKey(), new OffsetAndMetadata(e.getValue()));
        // Only if the apply thread has not moved it on meanwhile.
        applied.remove(e.getKey(), e.getValue());
      }
    }
    return offsets;
  }

  private void applyLoop() {
    while (true) {
      List<Parsed> batch;
      try {
        batch = handoff.take();
      } catch (InterruptedException e) {
        return;
      }
      if (batch == STOP) {
        return;
      }
      try {
        for (Parsed partition : batch) {
          derived.applyPartition(partition.topic.topic(), partition.topic.partition(), partition.events,
              partition.lastOffset, partition.redelivered);
          applied.merge(partition.topic, partition.lastOffset + 1, Math::max);
        }
      } catch (RuntimeException e) {
        LOG.error("kafka batch not applied: {}", e.toString(), e);
      } finally {
        synchronized (progress) {
          done++;
          progress.notifyAll();
        }
      }
    }
  }

  /**
   * Parses a batch, skipping records the windows already hold. Skipping here, ahead of the apply
   * thread, is exact: records come again only after a restart or a rebalance, and both wait until
   * everything handed over is applied.
   */
  private List<Parsed> parse(ConsumerRecords<byte[], byte[]> records) {
    List<TopicPartition> partitions = new ArrayList<>(records.partitions());
    List<List<ConsumerRecord<byte[], byte[]>>> fresh = new ArrayList<>(partitions.size());
    int[] redelivered = new int[partitions.size()];
    int count = 0;
    for (int p = 0; p < partitions.size(); p++) {
      TopicPartition partition = partitions.get(p);
      List<ConsumerRecord<byte[], byte[]>> inPartition = records.records(partition);
      long appliedOffset = derived.appliedOffset(partition.topic(), partition.partition());
      int skip = 0;
      while (skip < inPartition.size() && inPartition.get(skip).offset() <= appliedOffset) {
        skip++;
      }
      redelivered[p] = skip;
      fresh.add(inPartition.subList(skip, inPartition.size()));
      count += inPartition.size() - skip;
    }
    List<List<Event>> events;
    if (parseThread == null || count < SPLIT_AT_RECORDS) {
      events = parse(parser, fresh, Part.ALL);
    } else {
      // Each partition's first half here, its second half on the parse thread; joined in order.
      CompletableFuture<List<List<Event>>> secondHalves =
          CompletableFuture.supplyAsync(
              () -> parse(helperParser, fresh, Part.SECOND_HALF), parseThread);
      events = parse(parser, fresh, Part.FIRST_HALF);
      List<List<Event>> second = secondHalves.join();
      for (int p = 0; p < partitions.size(); p++) {
        events.get(p).addAll(second.get(p));
      }
    }
    List<Parsed> batch = new ArrayList<>(partitions.size());
    for (int p = 0; p < partitions.size(); p++) {
      List<ConsumerRecord<byte[], byte[]>> inPartition = records.records(partitions.get(p));
      long last = inPartition.get(inPartition.size() - 1).offset();
      batch.add(new Parsed(partitions.get(p), events.get(p), last, redelivered[p]));
    }
    return batch;
  }

  private enum Part {
    ALL,
    FIRST_HALF,
    SECOND_HALF
  }

  /** The events of each partition's fresh records, or of that part of them. */
  private List<List<Event>> parse(
      EventParser with, List<List<ConsumerRecord<byte[], byte[]>>> fresh, Part part) {
    List<List<Event>> events = new ArrayList<>(fresh.size());
    for (List<ConsumerRecord<byte[], byte[]>> all : fresh) {
      int half = all.size() / 2;
      List<ConsumerRecord<byte[], byte[]>> records =
          switch (part) {
            case ALL -> all;
            case FIRST_HALF -> all.subList(0, half);
            case SECOND_HALF -> all.subList(half, all.size());
          };
      // Room for the other half, which is added to the first.
      List<Event> parsed = new ArrayList<>(part == Part.FIRST_HALF ? all.size() : records.size());
      for (ConsumerRecord<byte[], byte[]> record : records) {
        try {
          parsed.add(with.parse(record.value()));
        } catch (InvalidEventException e) {
          rejected.record(record.topic() + "/" + record.partition() + "@" + record.offset(), e);
        }
      }
      events.add(parsed);
    }
    return events;
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(RETRY_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Before partitions move to another consumer, what was applied of them is committed. */
  private final class CommitOnRevoke implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      try {
        awaitApplied();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      commitSync(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
  }

  /** One partition's events of a poll, up to and including {@code lastOffset}. */
  private record Parsed(TopicPartition topic, List<Event> events, long lastOffset, int redelivered) {}
}
