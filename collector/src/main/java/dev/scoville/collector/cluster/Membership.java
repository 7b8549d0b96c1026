package dev.scoville.collector.cluster;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's membership of a cluster of Scoville instances: it joins a Kafka consumer group
 * on the membership topic, and the partitions Kafka assigns it are its slots. A target belongs to
 * slot {@link #slotOf} and is scraped by the instance that owns that slot. Kafka does the rest:
 * an instance that stops heartbeating for {@code sessionTimeout} loses its slots to the others
 * (the cooperative sticky assignor moves only those), one that leaves hands them over at once.
 * Nothing is ever produced to the topic: only its partitions matter.
 */
public final class Membership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);
  private static final Duration POLL = Duration.ofMillis(500);

  private final String topic;
  private final int slots;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Consumer<Membership> onChange;
  private final Thread thread;
  /** Read by any thread, replaced whole by the membership thread. */
  private volatile Set<Integer> owned = Set.of();
  private volatile boolean closing;

  private Membership(ClusterConfig config, int slots, Consumer<Membership> onChange) {
    this.topic = config.topic();
    this.slots = slots;
    this.onChange = onChange;
    long session = config.sessionTimeout().toMillis();
    this.consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka(),
        ConsumerConfig.GROUP_ID_CONFIG, config.topic(),
        ConsumerConfig.CLIENT_ID_CONFIG, "scoville-member",
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName(),
        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) session,
        // Kafka's advice: a third of the session, so that two lost heartbeats do not end it.
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(1000, session / 3),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.thread = new Thread(this::run, "cluster-membership");
    thread.setDaemon(true);
  }

  /**
   * Creates the membership topic with {@code slots} partitions unless it exists (then its
   * partitions are the slots, whatever this instance's configuration says, so that every
   * instance counts them alike), and joins its group. {@code onChange} runs on the membership
   * thread whenever this instance's slots change; until the first assignment it owns none.
   */
  public static Membership join(ClusterConfig config, Consumer<Membership> onChange) {
    int slots;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", config.kafka()))) {
      try {
        admin.createTopics(List.of(new NewTopic(config.topic(), Optional.of(config.slots()), Optional.empty())))
            .all().get();
        LOG.info("Created the membership topic {} with {} slots", config.topic(), config.slots());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("cluster: cannot create the membership topic " + config.topic()
              + " on " + config.kafka() + ": " + e.getCause().getMessage(), e.getCause());
        }
      }
      slots = admin.describeTopics(List.of(config.topic())).allTopicNames().get().get(config.topic())
          .partitions().size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while joining the cluster", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cluster: cannot read the membership topic " + config.topic() + " on "
          + config.kafka() + ": " + e.getCause().getMessage(), e.getCause());
    }
    if (slots != config.slots()) {
      LOG.warn("The membership topic {} has {} partitions: using {} slots, not the {} configured", config.topic(),
          slots, slots, config.slots());
    }
    Membership membership = new Membership(config, slots, onChange);
    membership.thread.start();
    return membership;
  }

  /**
   * The slot of a job's target: the partition Kafka's default partitioner would choose for the
   * key {@code job + " " + url}, so it is the same on every instance and every JVM.
   */
  public static int slotOf(String job, URI target, int slots) {
    byte[] key = (job + " " + target).getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(key)) % slots;
  }

  /** Whether this instance scrapes the job's target now. */
  public boolean owns(String job, URI target) {
    return owned.contains(slotOf(job, target, slots));
  }

  /** The slots this instance owns now. */
  public Set<Integer> ownedSlots() {
    return owned;
  }

  public int slots() {
    return slots;
  }

  private void run() {
    try {
      consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          change(partitions, true);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
          change(partitions, false);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
          change(partitions, false);
        }
      });
      while (!closing) {
        // Nothing to read: polling is what takes part in rebalances and calls the listener.
        consumer.poll(POLL);
      }
    } catch (WakeupException e) {
      if (!closing) {
        LOG.error("The cluster membership stopped unexpectedly", e);
      }
    } catch (RuntimeException e) {
      LOG.error("The cluster membership failed: this instance scrapes nothing more", e);
      owned = Set.of();
      onChange.accept(this);
    } finally {
      consumer.close();
    }
  }

  /** The cooperative assignor names only the partitions that move; the eager ones name them all. */
  private void change(Collection<TopicPartition> partitions, boolean assigned) {
    if (partitions.isEmpty()) {
      return;
    }
    Set<Integer> next = new HashSet<>(owned);
    for (TopicPartition partition : partitions) {
      if (assigned) {
        next.add(partition.partition());
      } else {
        next.remove(partition.partition());
      }
    }
    owned = Set.copyOf(next);
    LOG.info("Cluster slots {} {}: this instance now owns {} of {}", assigned ? "assigned" : "given up",
        partitions.stream().map(TopicPartition::partition).sorted().toList(), owned.size(), slots);
    try {
      onChange.accept(this);
    } catch (RuntimeException e) {
      // Thrown out of a rebalance listener it would end the membership, and the slots with it.
      LOG.error("Applying the cluster slots failed", e);
    }
  }

  /** Leaves the group, so that the others take this instance's slots at once. */
  @Override
  public void close() {
    closing = true;
    consumer.wakeup();
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
