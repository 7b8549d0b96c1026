package dev.scoville.benchmarks;

import dev.scoville.collector.KafkaTestBroker;
import dev.scoville.core.PostgresServer;
import dev.scoville.shop.PagerDutySink;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.test.KafkaClusterTestKit;

/**
 * Throughput of one instance against three, in one run: the application jar started as a
 * cluster of one, then as a cluster of three, on the same PostgreSQL server (a fresh database
 * each), the same in-JVM KRaft broker (a membership topic each), the same loopback targets and
 * the same local PagerDuty stand-in. For each size it measures, one after the other:
 *
 * <ul>
 *   <li><b>samples/s</b>: the targets ({@link LoopbackTargets}, 1,012 series each) are written to
 *       the job's targets file; once every target is scraped by exactly one instance and after a
 *       warm-up, the samples the instances count themselves ({@code scoville_scraped_samples_total}
 *       on their {@code /metrics}) over the window, and the scrapes attempted (succeeded and
 *       failed) against those offered (targets × window ÷ interval), so that a saturated run shows
 *       (the scrape timeout is the interval, as Prometheus allows no longer: an instance that
 *       falls behind fails scrapes rather than stretching them);
 *   <li><b>alerts/s</b>: the targets file is emptied (no scraping), then alerts are POSTed to the
 *       Alertmanager webhook, one alert a request, round-robin over the instances, by a fixed
 *       number of senders each waiting for its answer (a closed loop: as fast as the cluster
 *       takes them), retried until a 2xx as Alertmanager does; from the first POST to the last
 *       trigger received by the PagerDuty stand-in, after a warm-up burst. Each alert should be
 *       triggered exactly once, under one dedup_key: it prints the triggers beyond the first
 *       and the alerts triggered under a second dedup_key.
 * </ul>
 *
 * <p>Every process shares the machine's cores: the instances, PostgreSQL, and this JVM (targets,
 * broker, senders, PagerDuty stand-in). Skips, saying so, where PostgreSQL is not installed.
 *
 * <p>Run from the repository's root after {@code ./mvnw -q -pl console-ui,benchmarks -am package
 * -DskipTests}: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.scoville.benchmarks.ScaleOutHarness [alerts=2000] [targets=100] [interval-ms=50]
 * [window-s=60] [app jar=console-ui/target/scoville.jar]}
 */
public final class ScaleOutHarness {
  private static final String JOB = "bench";
  private static final String ROUTING_KEY = "0123456789abcdef0123456789abcdef";
  private static final String TOKEN = "scale-harness-token";
  private static final String USER = "alice";
  private static final String PASSWORD = "secret";
  private static final String HEAP = "-Xmx512m";
  private static final int SLOTS = 48;
  private static final int SENDERS = 16;
  private static final Duration SCRAPE_WARM_UP = Duration.ofSeconds(20);
  private static final Duration TRIGGER_LIMIT = Duration.ofMinutes(2);
  private static final Pattern ALERT = Pattern.compile("^scoville-(Scale\\d+(?:Warm|Alert))(\\d+)-");
  private static final Pattern COUNTER =
      Pattern.compile("^(scoville_scraped_samples_total|scoville_scrapes_total)\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final int alerts;
  private final int targetCount;
  private final long intervalMillis;
  private final Duration window;
  private final Path appJar;
  private final Path dir;
  private final List<Instance> running = new ArrayList<>();
  /** Triggers received, by dedup_key, and when the last one came. */
  private final Map<String, AtomicInteger> triggers = new ConcurrentHashMap<>();
  private final AtomicLong lastTriggerNanos = new AtomicLong();
  private PostgresServer postgres;
  private KafkaClusterTestKit kafka;
  private PagerDutySink pagerDuty;
  private LoopbackTargets targets;

  private ScaleOutHarness(int alerts, int targetCount, long intervalMillis, Duration window, Path appJar, Path dir) {
    this.alerts = alerts;
    this.targetCount = targetCount;
    this.intervalMillis = intervalMillis;
    this.window = window;
    this.appJar = appJar;
    this.dir = dir;
  }

  record ScrapeFigures(List<Integer> targetsPerInstance, double seconds, long samples, long succeeded, long failed,
      long offered, double instanceCpuSeconds, double harnessCpuSeconds, double machineCpuSeconds, String load) {
    double samplesPerSecond() {
      return samples / seconds;
    }

    long attempted() {
      return succeeded + failed;
    }
  }

  record AlertFigures(int sent, double seconds, int triggered, int duplicated, int secondKeys, long retried,
      String load) {
    double alertsPerSecond() {
      return triggered / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    int alerts = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int targetCount = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    long intervalMillis = args.length > 2 ? Long.parseLong(args[2]) : 50;
    Duration window = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 60);
    Path appJar = Path.of(args.length > 4 ? args[4] : "console-ui/target/scoville.jar");
    // The in-JVM broker logs its whole configuration at INFO: its warnings are what matter here.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Optional<Path> binaries = PostgresServer.binaries();
    if (binaries.isEmpty()) {
      System.out.println("ScaleOutHarness skipped: PostgreSQL is not installed (apt-get install postgresql)");
      return;
    }
    if (!Files.isRegularFile(appJar)) {
      System.err.println(appJar.toAbsolutePath() + ": no application jar; build it with"
          + " ./mvnw -q -pl console-ui,benchmarks -am package -DskipTests, or name it as the fifth argument");
      System.exit(2);
    }
    Path dir = Files.createTempDirectory("scoville-scale");
    ScaleOutHarness harness = new ScaleOutHarness(alerts, targetCount, intervalMillis, window, appJar, dir);
    boolean done = false;
    try {
      harness.run(binaries.get());
      done = true;
    } finally {
      harness.close();
      if (done) {
        LocalResources.deleteTree(dir);
      } else {
        System.err.println("instances' configuration and logs kept in " + dir);
      }
    }
    System.exit(0);
  }

  private void run(Path postgresBinaries) throws Exception {
    System.out.printf(Locale.ROOT, "machine: %d cores, load average %s; instances: java %s -XX:+UseSerialGC%n",
        Runtime.getRuntime().availableProcessors(), loadAverage(), HEAP);
    postgres = PostgresServer.start(postgresBinaries);
    kafka = KafkaTestBroker.start();
    pagerDuty = PagerDutySink.start(0);
    pagerDuty.onEvent(event -> {
      if (event.eventAction().equals("trigger")) {
        triggers.computeIfAbsent(event.dedupKey(), k -> new AtomicInteger()).incrementAndGet();
        lastTriggerNanos.set(System.nanoTime());
      }
    });
    // Values change every second: rendering a payload every interval would cost this JVM, which
    // shares the cores with the instances, more than serving it.
    targets = new LoopbackTargets(targetCount, 1000);
    long offeredPerSecond = Math.round(targetCount * (ExporterPayload.SERIES * 1000.0 / intervalMillis));
    System.out.printf(Locale.ROOT, "offered: %d targets × %,d series every %d ms = %,d samples/s; %,d alerts"
            + " through the Alertmanager webhook by %d senders%n",
        targetCount, ExporterPayload.SERIES, intervalMillis, offeredPerSecond, alerts, SENDERS);
    Map<Integer, ScrapeFigures> scrapes = new HashMap<>();
    Map<Integer, AlertFigures> paging = new HashMap<>();
    for (int size : List.of(1, 3)) {
      System.out.printf("%n%d instance%s:%n", size, size == 1 ? "" : "s");
      List<Instance> cluster = startCluster(size);
      ScrapeFigures s = measureScrapes(size, cluster);
      scrapes.put(size, s);
      System.out.printf(Locale.ROOT, "  samples/s %,.0f (%,d samples in %.1f s); targets per instance %s;"
              + " scrapes attempted %,d of %,d offered: %,d succeeded, %,d failed;"
              + " CPU: instances %.2f cores, this harness (targets, broker) %.2f, whole machine %.2f of %d;"
              + " load average %s%n",
          s.samplesPerSecond(), s.samples(), s.seconds(), s.targetsPerInstance(), s.attempted(), s.offered(),
          s.succeeded(), s.failed(), s.instanceCpuSeconds() / s.seconds(), s.harnessCpuSeconds() / s.seconds(),
          s.machineCpuSeconds() / s.seconds(), Runtime.getRuntime().availableProcessors(), s.load());
      AlertFigures a = measureAlerts(size, cluster);
      paging.put(size, a);
      System.out.printf(Locale.ROOT, "  alerts/s %,.0f (%,d of %,d alerts triggered in %.2f s); duplicated triggers %d;"
              + " alerts under a second dedup_key %d; webhook requests retried %d; load average %s%n",
          a.alertsPerSecond(), a.triggered(), a.sent(), a.seconds(), a.duplicated(), a.secondKeys(), a.retried(),
          a.load());
      stopCluster();
    }
    System.out.printf(Locale.ROOT, "%n3 vs 1 instances: samples/s %.2f× (%,.0f against %,.0f), alerts/s %.2f×"
            + " (%,.0f against %,.0f); all on %d cores%n",
        scrapes.get(3).samplesPerSecond() / scrapes.get(1).samplesPerSecond(), scrapes.get(3).samplesPerSecond(),
        scrapes.get(1).samplesPerSecond(), paging.get(3).alertsPerSecond() / paging.get(1).alertsPerSecond(),
        paging.get(3).alertsPerSecond(), paging.get(1).alertsPerSecond(), Runtime.getRuntime().availableProcessors());
  }

  /** A fresh database and membership topic; the first instance alone applies the migrations. */
  private List<Instance> startCluster(int size) throws Exception {
    String database = "scale_" + size;
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), PostgresServer.USER, null);
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + database);
    }
    Path targetsFile = targetsFile(size);
    writeTargets(targetsFile, List.of());
    String jdbcUrl = postgres.jdbcUrl(database);
    List<Instance> cluster = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      Instance instance = Instance.start(this, size, i, jdbcUrl, targetsFile);
      running.add(instance);
      cluster.add(instance);
      if (i == 0) {
        awaitReady(instance);
      }
    }
    for (Instance instance : cluster) {
      awaitReady(instance);
    }
    return cluster;
  }

  private Path targetsFile(int size) {
    return dir.resolve("targets-" + size + ".yaml").toAbsolutePath();
  }

  private ScrapeFigures measureScrapes(int size, List<Instance> cluster) throws Exception {
    writeTargets(targetsFile(size), targets.urls());
    Map<Instance, Integer> owned = await("every target scraped by exactly one instance", Duration.ofSeconds(90),
        () -> {
          Map<Instance, Integer> counts = owners(cluster);
          if (counts.isEmpty()) {
            return null;
          }
          sleep(Duration.ofSeconds(3));
          return counts.equals(owners(cluster)) ? counts : null;
        });
    sleep(SCRAPE_WARM_UP);
    String loadBefore = loadAverage();
    long cpu0 = cpuTicks(cluster);
    long harness0 = ScrapeVsPrometheus.cpuTicks(ProcessHandle.current().pid());
    long machine0 = machineBusyTicks();
    Map<String, Long> before = counters(cluster);
    long start = System.nanoTime();
    sleep(window);
    Map<String, Long> after = counters(cluster);
    double seconds = (System.nanoTime() - start) / 1e9;
    long cpu1 = cpuTicks(cluster);
    long harness1 = ScrapeVsPrometheus.cpuTicks(ProcessHandle.current().pid());
    long machine1 = machineBusyTicks();
    String load = loadBefore + " → " + loadAverage();
    long offered = Math.round(targetCount * seconds * 1000 / intervalMillis);
    return new ScrapeFigures(cluster.stream().map(owned::get).toList(), seconds,
        after.get("samples") - before.get("samples"), after.get("success") - before.get("success"),
        after.get("failure") - before.get("failure"), offered, (cpu1 - cpu0) / 100.0, (harness1 - harness0) / 100.0,
        (machine1 - machine0) / 100.0, load);
  }

  private AlertFigures measureAlerts(int size, List<Instance> cluster) throws Exception {
    writeTargets(targetsFile(size), List.of());
    await("no instance scraping", Duration.ofSeconds(30),
        () -> cluster.stream().allMatch(i -> new JsonArray(get(i, "api/targets")).isEmpty()) ? true : null);
    // The first alerts of each instance pay for its class loading and compilation.
    int warmUp = Math.max(SENDERS, alerts / 10);
    send(cluster, "Scale" + size + "Warm", warmUp);
    awaitTriggers("Scale" + size + "Warm", warmUp);
    String loadBefore = loadAverage();
    long start = System.nanoTime();
    long retried = send(cluster, "Scale" + size + "Alert", alerts);
    boolean complete = awaitTriggers("Scale" + size + "Alert", alerts);
    double seconds = (lastTriggerNanos.get() - start) / 1e9;
    Map<Integer, List<String>> keysByAlert = keysByAlert("Scale" + size + "Alert");
    int duplicated = keysByAlert.values().stream().flatMap(List::stream)
        .mapToInt(key -> triggers.get(key).get() - 1).sum();
    int secondKeys = (int) keysByAlert.values().stream().filter(keys -> keys.size() > 1).count();
    if (!complete) {
      System.out.printf("  only %d of %d alerts triggered within %s%n", keysByAlert.size(), alerts, TRIGGER_LIMIT);
    }
    return new AlertFigures(alerts, seconds, keysByAlert.size(), duplicated, secondKeys, retried,
        loadBefore + " → " + loadAverage());
  }

  /** Sends {@code count} alerts named {@code name<i>}, round-robin; answers the retries it needed. */
  private long send(List<Instance> cluster, String name, int count) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicLong retried = new AtomicLong();
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    for (int s = 0; s < SENDERS; s++) {
      senders.execute(() -> {
        for (int alert = next.getAndIncrement(); alert < count; alert = next.getAndIncrement()) {
          Instance to = cluster.get(alert % cluster.size());
          while (!post(to, name + alert)) {
            retried.incrementAndGet();
            sleep(Duration.ofMillis(200));
          }
        }
      });
    }
    senders.shutdown();
    if (!senders.awaitTermination(5, TimeUnit.MINUTES)) {
      senders.shutdownNow();
      throw new IllegalStateException("the webhooks of " + name + " alerts were not all taken within 5 minutes");
    }
    return retried.get();
  }

  private boolean post(Instance to, String alertName) {
    String body = new JsonObject().put("version", "4").put("status", "firing").put("receiver", "scoville")
        .put("alerts", List.of(new JsonObject()
            .put("status", "firing")
            .put("labels", new JsonObject().put("alertname", alertName).put("severity", "critical"))
            .put("annotations", new JsonObject().put("summary", "scale-out harness alert " + alertName))
            .put("startsAt", Instant.now().toString())
            .put("endsAt", "0001-01-01T00:00:00Z"))).encode();
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(to.api().resolve("api/v1/alerts/alertmanager"))
          .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + TOKEN)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.discarding());
      return response.statusCode() / 100 == 2;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Whether every one of the {@code count} alerts named {@code name<i>} was triggered in time. */
  private boolean awaitTriggers(String name, int count) {
    long deadline = System.nanoTime() + TRIGGER_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (keysByAlert(name).size() == count) {
        return true;
      }
      sleep(Duration.ofMillis(20));
    }
    return false;
  }

  /** The dedup_keys triggered for each alert named {@code name<i>}, by i. */
  private Map<Integer, List<String>> keysByAlert(String name) {
    Map<Integer, List<String>> keys = new HashMap<>();
    for (String key : triggers.keySet()) {
      Matcher m = ALERT.matcher(key);
      if (m.find() && m.group(1).equals(name)) {
        keys.computeIfAbsent(Integer.parseInt(m.group(2)), k -> new ArrayList<>()).add(key);
      }
    }
    return keys;
  }

  /** Targets scraped by each instance, as their APIs list them; empty while a target has no owner or two. */
  private Map<Instance, Integer> owners(List<Instance> cluster) {
    Map<Instance, Integer> counts = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (Instance instance : cluster) {
      int count = 0;
      for (Object target : new JsonArray(get(instance, "api/targets"))) {
        if (!seen.add(((JsonObject) target).getString("url"))) {
          return Map.of();
        }
        count++;
      }
      counts.put(instance, count);
    }
    return seen.size() == targetCount ? counts : Map.of();
  }

  /** The scrape counters summed over the cluster: samples, success, failure. */
  private Map<String, Long> counters(List<Instance> cluster) {
    Map<String, Long> sums = new HashMap<>(Map.of("samples", 0L, "success", 0L, "failure", 0L));
    for (Instance instance : cluster) {
      Matcher m = COUNTER.matcher(get(instance, "metrics"));
      while (m.find()) {
        if (!m.group(2).contains("job=\"" + JOB + "\"")) {
          continue;
        }
        String which = m.group(1).equals("scoville_scraped_samples_total") ? "samples"
            : m.group(2).contains("result=\"success\"") ? "success" : "failure";
        sums.merge(which, Math.round(Double.parseDouble(m.group(3))), Long::sum);
      }
    }
    return sums;
  }

  private static long cpuTicks(List<Instance> cluster) throws IOException {
    long ticks = 0;
    for (Instance instance : cluster) {
      ticks += ScrapeVsPrometheus.cpuTicks(instance.process().pid());
    }
    return ticks;
  }

  /** Clock ticks all cores spent busy since boot: the first line of /proc/stat: user, nice, system, irq, softirq. */
  private static long machineBusyTicks() throws IOException {
    String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long busy = 0;
    for (int i = 1; i < fields.length && i <= 7; i++) {
      if (i != 4 && i != 5) {
        busy += Long.parseLong(fields[i]);
      }
    }
    return busy;
  }

  private static void writeTargets(Path file, List<URI> urls) throws IOException {
    // Written aside and moved: an instance never reads half a file.
    Path next = file.resolveSibling(file.getFileName() + ".next");
    Files.writeString(next, urls.isEmpty() ? "[]\n"
        : "- targets:\n" + urls.stream().map(u -> "    - " + u + "\n").collect(Collectors.joining()));
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private String get(Instance instance, String path) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(instance.api().resolve(path))
          .header("Authorization", "Basic " + Base64.getEncoder()
              .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(instance + " answered " + path + " with " + response.statusCode() + ": "
            + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException(instance + " does not answer " + path + " (see " + instance.log() + "): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitReady(Instance instance) throws Exception {
    await(instance + " ready", Duration.ofSeconds(180), () -> {
      if (!instance.process().isAlive()) {
        throw new IllegalStateException(instance + " exited with " + instance.process().exitValue() + ": see "
            + instance.log());
      }
      try {
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(instance.api().resolve("readyz"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
        return response.statusCode() == 200 ? true : null;
      } catch (IOException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
  }

  private interface Probe<T> {
    T get() throws Exception;
  }

  private static <T> T await(String what, Duration limit, Probe<T> probe) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      T result = probe.get();
      if (result != null) {
        return result;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("waited " + limit + " for " + what);
      }
      sleep(Duration.ofMillis(200));
    }
  }

  /** Stops the instances as a service manager would (SIGTERM), so that they leave the group. */
  private void stopCluster() throws InterruptedException {
    for (Instance instance : running) {
      instance.process().destroy();
    }
    for (Instance instance : running) {
      if (!instance.process().waitFor(30, TimeUnit.SECONDS)) {
        instance.process().destroyForcibly().waitFor();
      }
    }
    running.clear();
  }

  private void close() throws Exception {
    stopCluster();
    if (targets != null) {
      targets.close();
    }
    if (pagerDuty != null) {
      pagerDuty.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  private static String loadAverage() throws IOException {
    String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return fields[0];
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }



  /** One instance of the application jar in a JVM of its own, its output in a log file. */
  private record Instance(int number, URI api, Process process, Path log) {
    static Instance start(ScaleOutHarness harness, int size, int number, String jdbcUrl, Path targetsFile)
        throws IOException {
      int apiPort = LocalResources.freePort();
      long interval = harness.intervalMillis;
      String yaml = """
          server:
            uiPort: %d
            apiPort: %d
          database:
            url: %s
            user: %s
            # Samples stay in memory up to a minute past retention (until the next history
            # write): at the offered rate a longer retention would not fit the heap.
            retention: 15s
          users:
            - name: %s
              password: ${ALICE_PASSWORD}
              role: commander
          intake:
            token: %s
          pagerduty:
            eventsUrl: %s
            routingKey: %s
          scrape:
            interval: %dms
            timeout: %dms
            jobs:
              - name: %s
                files: [%s]
          cluster:
            kafka: %s
            topic: scale-%d-members
            slots: %d
            sessionTimeout: 6s
          """.formatted(LocalResources.freePort(), apiPort, jdbcUrl, PostgresServer.USER, USER, TOKEN, harness.pagerDuty.eventsUri(),
          ROUTING_KEY, interval, interval, JOB, targetsFile, harness.kafka.bootstrapServers(), size, SLOTS);
      Path config = harness.dir.resolve("instance-" + size + "-" + number + ".yaml");
      Files.writeString(config, yaml);
      Path log = harness.dir.resolve("instance-" + size + "-" + number + ".log");
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          // JVM options given: Main runs in this JVM instead of starting a second one.
          HEAP, "-XX:+UseSerialGC", "-cp", harness.appJar.toString(), "dev.scoville.console.Main",
          "--config", config.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().put("ALICE_PASSWORD", PASSWORD);
      return new Instance(number, URI.create("http://127.0.0.1:" + apiPort + "/"), builder.start(), log);
    }

    @Override
    public String toString() {
      return "instance " + number;
    }
  }
}
