package dev.scoville.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.scoville.collector.SeriesStore;
import dev.scoville.collector.events.DerivedSeries;
import dev.scoville.collector.events.EventsConfig;
import dev.scoville.collector.events.KafkaEventSource;
import io.prometheus.client.CollectorRegistry;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A plain kafka-clients consumer and Scoville's {@link KafkaEventSource} (wired as the app wires
 * it: the derived series on a series store, evaluated every second on Vert.x) read the same
 * pre-filled one-partition topic, one after the other, each as a new consumer group from the
 * start; prints events/s for both (from the first record to the last, and from start to finish),
 * the CPU of this process while each ran (in cores), Scoville's ratio to the plain consumer, and
 * checks both counted every event. The broker is a child JVM ({@link KafkaBroker}) so that its
 * CPU is not in the consumers' figures.
 *
 * <p>{@code benchmarks/kafka-vs-plain-consumer [events] [rounds]}, defaults 2,000,000 and 5: the
 * first round warms the JIT for both, and the ratio reported is the median of the other rounds'
 * (first-to-last rates), since the machine's other work moves single rounds a lot.
 */
public final class KafkaVsPlainConsumer {
  private static final String TOPIC = "shop-events";
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private KafkaVsPlainConsumer() {}

  record Run(String consumer, long events, long firstNanos, long lastNanos, long startNanos, long cpuNanos) {
    double steadyRate() {
      return events / ((lastNanos - firstNanos) / 1e9);
    }

    double wholeRate() {
      return events / ((lastNanos - startNanos) / 1e9);
    }

    double cores() {
      return cpuNanos / (double) (lastNanos - startNanos);
    }
  }

  public static void main(String[] args) throws Exception {
    // Kafka's clients log every configuration at INFO: keep the figures readable.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Process broker = startBroker();
    try {
      String bootstrap = awaitBootstrap(broker);
      try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
      }
      long fillStart = System.nanoTime();
      fill(bootstrap, events);
      System.out.printf(Locale.ROOT, "topic %s: %,d events of the shop's mix in one partition, written in %.1f s%n",
          TOPIC, events, (System.nanoTime() - fillStart) / 1e9);

      List<Run> plain = new ArrayList<>();
      List<Run> scoville = new ArrayList<>();
      Vertx vertx = Vertx.vertx();
      try {
        for (int round = 1; round <= rounds; round++) {
          plain.add(print(round, plain(bootstrap, "plain-" + round, events)));
          scoville.add(print(round, scoville(vertx, bootstrap, "scoville-" + round, events)));
        }
      } finally {
        vertx.close().await(10, TimeUnit.SECONDS);
      }
      // The first round warms the JIT for both; the machine is shared, so the median of the rest.
      List<Double> ratios = new ArrayList<>();
      for (int i = rounds > 1 ? 1 : 0; i < rounds; i++) {
        ratios.add(scoville.get(i).steadyRate() / plain.get(i).steadyRate());
      }
      ratios.sort(null);
      double median = ratios.size() % 2 == 1 ? ratios.get(ratios.size() / 2)
          : (ratios.get(ratios.size() / 2 - 1) + ratios.get(ratios.size() / 2)) / 2;
      boolean equal = plain.stream().allMatch(r -> r.events == events) && scoville.stream().allMatch(r -> r.events == events);
      System.out.printf(Locale.ROOT, "Scoville / plain consumer, first-to-last, rounds %d-%d: %s, median %.2f; counts equal: %s%n",
          rounds > 1 ? 2 : 1, rounds, ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList(), median, equal);
      if (!equal) {
        System.exit(1);
      }
    } finally {
      broker.getOutputStream().close();
      broker.waitFor(30, TimeUnit.SECONDS);
      broker.destroyForcibly();
    }
  }

  private static Process startBroker() throws Exception {
    Path log = Files.createTempFile("kafka-broker", ".log");
    log.toFile().deleteOnExit();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
            KafkaBroker.class.getName())
        .redirectError(log.toFile())
        .start();
  }

  private static String awaitBootstrap(Process broker) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("bootstrap ")) {
        return line.substring("bootstrap ".length());
      }
    }
    throw new IllegalStateException("the broker ended before it was ready (exit " + broker.waitFor() + ")");
  }

  /** Event times are within the minute before now, inside Scoville's window while the rounds run. */
  private static void fill(String bootstrap, int events) throws Exception {
    Map<String, Object> config = Map.of(
        "bootstrap.servers", bootstrap, "acks", "1", "linger.ms", "20", "batch.size", "262144");
    Random random = new Random(42);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      Instant now = Instant.now();
      for (int i = 0; i < events; i++) {
        if (i % 100_000 == 0) {
          now = Instant.now();
        }
        byte[] value = ShopEventJson.event(random, i, now).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(TOPIC, 0, null, value));
      }
      producer.flush();
    }
  }

  /** kafka-clients with its defaults (500 records a poll, auto-commit every 5 s), counting records. */
  private static Run plain(String bootstrap, String group, int events) {
    Map<String, Object> config = Map.of(
        "bootstrap.servers", bootstrap, "group.id", group, "auto.offset.reset", "earliest");
    long cpu = OS.getProcessCpuTime();
    long start = System.nanoTime();
    long first = 0;
    long count = 0;
    long bytes = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      while (count < events) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        if (first == 0 && !records.isEmpty()) {
          first = System.nanoTime();
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
          bytes += record.value().length;
          count++;
        }
      }
      long last = System.nanoTime();
      if (bytes == 0) {
        throw new IllegalStateException("empty records");
      }
      return new Run("plain kafka-clients", count, first, last, start, OS.getProcessCpuTime() - cpu);
    }
  }

  private static Run scoville(Vertx vertx, String bootstrap, String group, int events) throws Exception {
    Clock clock = Clock.systemUTC();
    SeriesStore store = new SeriesStore(Duration.ofHours(1), clock);
    // A window of 5 minutes keeps every event of the topic inside it across the rounds.
    DerivedSeries derived = new DerivedSeries(store, clock, new EventsConfig(Duration.ofMinutes(5), null, null, null));
    derived.start(vertx);
    KafkaEventSource source = new KafkaEventSource(derived, new EventsConfig.Kafka(bootstrap, List.of(TOPIC), group));
    double before = counted();
    double outsideBefore = counter("scoville_events_outside_window_total");
    long cpu = OS.getProcessCpuTime();
    long start = System.nanoTime();
    long first = 0;
    source.start().await(30, TimeUnit.SECONDS);
    double count = 0;
    while (count < events) {
      // Reading the registry costs CPU that Scoville's threads would miss: a few hundred reads a run.
      Thread.sleep(2);
      count = counted() - before;
      if (first == 0 && count > 0) {
        first = System.nanoTime();
      }
    }
    long last = System.nanoTime();
    long cpuNanos = OS.getProcessCpuTime() - cpu;
    source.stop().await(30, TimeUnit.SECONDS);
    derived.stop();
    double outside = counter("scoville_events_outside_window_total") - outsideBefore;
    if (outside > 0) {
      System.out.printf(Locale.ROOT, "  (%,.0f events fell outside the window)%n", outside);
    }
    return new Run("Scoville KafkaEventSource", (long) count, first, last, start, cpuNanos);
  }

  /** Events accepted or refused: every record Scoville read once. */
  private static double counted() {
    double rejected = 0;
    for (var family : java.util.Collections.list(CollectorRegistry.defaultRegistry.metricFamilySamples())) {
      if (family.name.equals("scoville_events_rejected")) {
        for (var sample : family.samples) {
          if (sample.name.equals("scoville_events_rejected_total") && "kafka".equals(sample.labelValues.get(0))) {
            rejected += sample.value;
          }
        }
      }
    }
    return counter("scoville_events_accepted_total") + rejected;
  }

  private static double counter(String name) {
    Double value =
        CollectorRegistry.defaultRegistry.getSampleValue(name, new String[] {"source"}, new String[] {"kafka"});
    return value == null ? 0 : value;
  }

  private static Run print(int round, Run run) {
    System.out.printf(Locale.ROOT,
        "round %d %-26s %,d events: %,.0f events/s first-to-last, %,.0f start-to-finish, %.2f cores in this JVM%n",
        round, run.consumer, run.events, run.steadyRate(), run.wholeRate(), run.cores());
    return run;
  }
}
