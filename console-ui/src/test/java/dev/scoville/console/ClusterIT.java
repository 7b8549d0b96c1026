package dev.scoville.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.scoville.collector.KafkaTestBroker;
import dev.scoville.core.PostgresServer;
import dev.scoville.shop.PagerDutySink;
import dev.scoville.shop.PagerDutySink.ReceivedEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three instances of the application, each its own JVM on loopback, share 24 targets through
 * a real Kafka broker (KRaft, in this JVM) and one real PostgreSQL server (Debian's {@code
 * postgresql}; skipped, saying so, where it is absent), and page a local PagerDuty stand-in. A
 * per-target rule fires on every target; the instance scraping the most targets is killed with
 * SIGKILL; the other two take its targets within 30 s, carry its alerts on (a new alert on a
 * moved target pages; the killed instance's incidents resolve when their targets recover) and
 * open no second incident for any alert; either survivor's console API shows the incidents
 * every instance raised.
 */
class ClusterIT {
  private static final int TARGETS = 24;
  private static final String ROUTING_KEY = "0123456789abcdef0123456789abcdef";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static PostgresServer postgres;
  private static KafkaClusterTestKit kafka;
  private static PagerDutySink pagerDuty;
  private static final List<Target> targets = new ArrayList<>();
  private static final List<Instance> instances = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Optional<Path> binaries = PostgresServer.binaries();
    assumeTrue(binaries.isPresent(),
        "PostgreSQL is not installed (apt-get install postgresql): the three-instance cluster test is skipped");
    postgres = PostgresServer.start(binaries.get());
    kafka = KafkaTestBroker.start();
    pagerDuty = PagerDutySink.start(0);
    for (int i = 0; i < TARGETS; i++) {
      targets.add(Target.start());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (Instance instance : instances) {
      instance.process.destroyForcibly().waitFor();
    }
    for (Target target : targets) {
      target.server.stop(0);
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

  @Test
  void aKilledInstancesTargetsAndAlertsMoveToTheOthersAndEveryConsoleShowsEveryIncident() throws Exception {
    // The first instance creates the tables alone: Flyway's migrations are not made to race.
    instances.add(Instance.start(0));
    awaitReady(instances.get(0));
    instances.add(Instance.start(1));
    instances.add(Instance.start(2));
    instances.forEach(ClusterIT::awaitReady);

    // Settled: each target scraped by exactly one instance, each instance scraping some (24
    // targets over 4 slots each leave one without any about once in 10,000 runs), for 3 s.
    await("every target scraped by exactly one of the three", Duration.ofSeconds(60), () -> {
      Map<URI, Integer> owners = owners(instances);
      if (owners.size() != TARGETS || Set.copyOf(owners.values()).size() != 3) {
        return null;
      }
      sleep(Duration.ofSeconds(3));
      return owners.equals(owners(instances)) ? owners : null;
    });

    targets.forEach(t -> t.queueDepth = 50);
    Map<URI, String> backlogKeys = await("a page for the backlog of every target", Duration.ofSeconds(60),
        () -> {
          Map<URI, String> keys = dedupKeys(instances.get(0), "QueueBacklog");
          return keys.size() == TARGETS && triggered().keySet().containsAll(keys.values()) ? keys : null;
        });

    Instance killed = instances.stream().max((a, b) -> Integer.compare(scraped(a).size(), scraped(b).size()))
        .orElseThrow();
    Set<URI> moved = scraped(killed);
    List<Instance> survivors = instances.stream().filter(i -> i != killed).toList();
    long killedAt = System.nanoTime();
    killed.process.destroyForcibly().waitFor();
    assertThat(killed.process.exitValue()).as("killed by SIGKILL").isEqualTo(137);

    await("the survivors scraping every target", Duration.ofSeconds(30), () -> {
      Map<URI, Integer> owners = owners(survivors);
      return owners.size() == TARGETS && owners.keySet().containsAll(moved)
          && survivors.stream().allMatch(i -> scraped(i).stream().allMatch(url -> lastScraped(i, url))) ? owners : null;
    });
    Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
    System.out.printf("ClusterIT: %d targets of the killed instance scraped by the others %.1f s after SIGKILL%n",
        moved.size(), takeover.toMillis() / 1000.0);

    // A new alert on a moved target pages from the instance that took it over.
    targets.stream().filter(t -> moved.contains(t.url)).forEach(t -> t.paymentErrors = 3);
    Map<URI, String> errorKeys = await("a page for the payment errors of every moved target", Duration.ofSeconds(60),
        () -> {
          Map<URI, String> keys = dedupKeys(survivors.get(0), "PaymentErrors");
          return keys.keySet().equals(moved) && triggered().keySet().containsAll(keys.values()) ? keys : null;
        });

    // The killed instance's incidents are resolved by the instances that carry its alerts on.
    targets.stream().filter(t -> moved.contains(t.url)).forEach(t -> t.queueDepth = 0);
    Set<String> resolvedKeys = moved.stream().map(backlogKeys::get).collect(Collectors.toSet());
    await("the killed instance's incidents resolved as their targets recover", Duration.ofSeconds(60),
        () -> resolved().containsAll(resolvedKeys) ? true : null);

    for (Instance survivor : survivors) {
      // One incident per alert, raised on any of the three, shown by either survivor's console.
      assertThat(dedupKeys(survivor, "QueueBacklog")).isEqualTo(backlogKeys);
      assertThat(dedupKeys(survivor, "PaymentErrors")).isEqualTo(errorKeys);
      for (JsonObject incident : incidents(survivor, "QueueBacklog")) {
        URI target = targetOf(incident);
        assertThat(incident.getString("state")).as("incident of %s", target)
            .isEqualTo(moved.contains(target) ? "resolved" : "triggered");
      }
    }
    Map<String, Long> triggers = triggered();
    System.out.println("ClusterIT: triggers per dedup_key at the PagerDuty stand-in: " + new TreeMap<>(triggers));
    Set<String> expected = new HashSet<>(backlogKeys.values());
    expected.addAll(errorKeys.values());
    assertThat(triggers.keySet()).as("no alert paged under a second dedup_key").isEqualTo(expected);
    // The outbox is claimed: three instances on one database page each alert once.
    assertThat(triggers.values()).as("each alert paged once").containsOnly(1L);
  }

  /** The targets each instance scrapes now, as its API lists them, by target. */
  private static Map<URI, Integer> owners(List<Instance> of) {
    Map<URI, Integer> owners = new HashMap<>();
    for (Instance instance : of) {
      for (URI url : scraped(instance)) {
        if (owners.put(url, instance.number) != null) {
          return Map.of();
        }
      }
    }
    return owners;
  }

  private static Set<URI> scraped(Instance instance) {
    Set<URI> urls = new HashSet<>();
    for (Object target : new JsonArray(get(instance, "api/targets"))) {
      urls.add(URI.create(((JsonObject) target).getString("url")));
    }
    return urls;
  }

  private static boolean lastScraped(Instance instance, URI url) {
    for (Object target : new JsonArray(get(instance, "api/targets"))) {
      JsonObject t = (JsonObject) target;
      if (t.getString("url").equals(url.toString())) {
        return t.getValue("lastScrape") != null;
      }
    }
    return false;
  }

  private static List<JsonObject> incidents(Instance instance, String rule) {
    List<JsonObject> found = new ArrayList<>();
    for (Object incident : new JsonArray(get(instance, "api/incidents"))) {
      if (((JsonObject) incident).getString("rule").equals(rule)) {
        found.add((JsonObject) incident);
      }
    }
    return found;
  }

  /** The dedup_key of each target's incident of {@code rule}; a second incident for one target fails. */
  private static Map<URI, String> dedupKeys(Instance instance, String rule) {
    Map<URI, String> keys = new HashMap<>();
    for (JsonObject incident : incidents(instance, rule)) {
      String before = keys.put(targetOf(incident), incident.getString("dedupKey"));
      assertThat(before).as("a second incident of %s for %s", rule, targetOf(incident)).isNull();
    }
    return keys;
  }

  private static URI targetOf(JsonObject incident) {
    String labels = incident.getString("labels");
    for (Target target : targets) {
      if (labels.contains("instance=\"127.0.0.1:" + target.server.getAddress().getPort() + "\"")) {
        return target.url;
      }
    }
    throw new AssertionError("an incident for no target of the test: " + labels);
  }

  private static Map<String, Long> triggered() {
    return pagerDuty.received().stream().filter(e -> e.eventAction().equals("trigger"))
        .collect(Collectors.groupingBy(ReceivedEvent::dedupKey, Collectors.counting()));
  }

  private static Set<String> resolved() {
    return pagerDuty.received().stream().filter(e -> e.eventAction().equals("resolve"))
        .map(ReceivedEvent::dedupKey).collect(Collectors.toSet());
  }

  private static String get(Instance instance, String path) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(instance.api.resolve(path))
          .header("Authorization", "Basic " + Base64.getEncoder()
              .encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8)))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("%s %s", path, response.body()).isEqualTo(200);
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException(instance + " does not answer " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void awaitReady(Instance instance) {
    await(instance + " ready", Duration.ofSeconds(120), () -> {
      assertThat(instance.process.isAlive()).as("%s is running (see %s)", instance, instance.log).isTrue();
      try {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(instance.api.resolve("readyz"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? true : null;
      } catch (IOException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
  }

  /** Waits for what the instances and Kafka bring about: polls {@code probe} until it answers. */
  private static <T> T await(String what, Duration limit, Supplier<T> probe) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      T result = probe.get();
      if (result != null) {
        return result;
      }
      assertThat(System.nanoTime()).as("waiting %s for %s", limit, what).isLessThan(deadline);
      sleep(Duration.ofMillis(200));
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** A loopback target whose two gauges the test sets. */
  private static final class Target {
    final HttpServer server;
    final URI url;
    volatile int queueDepth;
    volatile int paymentErrors;

    private Target(HttpServer server) {
      this.server = server;
      this.url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
    }

    static Target start() throws IOException {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      Target target = new Target(server);
      server.createContext("/metrics", exchange -> {
        byte[] body = ("# TYPE queue_depth gauge\nqueue_depth " + target.queueDepth
            + "\n# TYPE payment_errors gauge\npayment_errors " + target.paymentErrors + "\n")
            .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      server.start();
      return target;
    }
  }

  /** One instance of the application in a JVM of its own, started from this test's classpath. */
  private record Instance(int number, URI api, Process process, Path log) {
    static Instance start(int number) throws IOException {
      int apiPort = freePort();
      String yaml = """
          server:
            uiPort: %d
            apiPort: %d
          database:
            url: %s
            user: %s
          users:
            - name: alice
              password: ${ALICE_PASSWORD}
              role: commander
          pagerduty:
            eventsUrl: %s
            routingKey: %s
          scrape:
            interval: 1s
            timeout: 1s
            jobs:
              - name: shop
                targets: [%s]
          rules:
            groups:
              - name: cluster
                interval: 1s
                rules:
                  # keep_firing_for: a scrape timing out on this busy machine (three JVMs, a
                  # broker and a database) must not resolve an alert and page it anew.
                  - alert: QueueBacklog
                    expr: queue_depth > 10
                    keep_firing_for: 5s
                    labels:
                      severity: critical
                    annotations:
                      summary: "Queue of {{ $labels.instance }} is {{ $value }}"
                  - alert: PaymentErrors
                    expr: payment_errors > 0
                    keep_firing_for: 5s
                    labels:
                      severity: critical
                    annotations:
                      summary: "Payment errors at {{ $labels.instance }}"
          cluster:
            kafka: %s
            topic: scoville-members
            slots: 12
            sessionTimeout: 6s
          """.formatted(freePort(), apiPort, postgres.jdbcUrl(), PostgresServer.USER, pagerDuty.eventsUri(), ROUTING_KEY,
          targets.stream().map(t -> t.url.toString()).collect(Collectors.joining(", ")), kafka.bootstrapServers());
      Path dir = Files.createDirectories(Path.of("target", "cluster-it"));
      Path config = dir.resolve("instance-" + number + ".yaml");
      Files.writeString(config, yaml);
      Path log = dir.resolve("instance-" + number + ".log");
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          // JVM options given: Main runs in this JVM instead of relaunching itself, so SIGKILL ends it.
          "-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
          "--config", config.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().put("ALICE_PASSWORD", "secret");
      return new Instance(number, URI.create("http://127.0.0.1:" + apiPort + "/"), builder.start(), log);
    }

    @Override
    public String toString() {
      return "instance " + number;
    }
  }
}
