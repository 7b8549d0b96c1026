package dev.scoville.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Paging under faults, as an operator would try it: N alerts arrive through the Alertmanager
 * webhook at a steady rate and each resolves some seconds later; a local PagerDuty stand-in fails a
 * fraction of its calls (500, 429 with {@code Retry-After: 1}, or a stall longer than the 10 s
 * delivery deadline, in equal parts); Scoville's paging path runs in a child JVM ({@link
 * PagingNode}) that is SIGKILLed several times (three while alerts arrive, one while they resolve,
 * one while the outbox drains) and restarted on the same database. The sender behaves as
 * Alertmanager: it retries a webhook until it gets a 2xx, and sends an alert's resolve only after
 * its firing was taken (Alertmanager flushes an alert group one notification at a time). Prints what was accepted, delivered,
 * lost, duplicated (the same action and dedup_key delivered twice) and out of order, and the time
 * to drain after the last alert was accepted.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.scoville.benchmarks.PagingFaultHarness
 * [alerts=400] [alerts-per-second=4] [fault-fraction=0.3] [kills=5]}
 */
public final class PagingFaultHarness {
  private static final String TOKEN = "fault-harness-token";
  private static final Duration HOLD = Duration.ofSeconds(15);
  private static final Duration STALL = Duration.ofSeconds(12);
  private static final Duration DRAIN_LIMIT = Duration.ofMinutes(5);
  private static final Pattern DEDUP = Pattern.compile("scoville-FaultDrill(\\d+)-");

  private final int alerts;
  private final double perSecond;
  private final double faults;
  private final int kills;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<Integer, Instant> firingAccepted = new ConcurrentHashMap<>();
  private final Map<Integer, Instant> resolveAccepted = new ConcurrentHashMap<>();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private volatile Process node;

  private record Received(Instant at, String action, String dedupKey) {}

  private PagingFaultHarness(int alerts, double perSecond, double faults, int kills) {
    this.alerts = alerts;
    this.perSecond = perSecond;
    this.faults = faults;
    this.kills = kills;
  }

  public static void main(String[] args) throws Exception {
    int alerts = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    double perSecond = args.length > 1 ? Double.parseDouble(args[1]) : 4;
    double faults = args.length > 2 ? Double.parseDouble(args[2]) : 0.3;
    int kills = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    new PagingFaultHarness(alerts, perSecond, faults, kills).run();
    System.exit(0);
  }

  private void run() throws Exception {
    HttpServer pagerDuty = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    pagerDuty.createContext("/v2/enqueue", this::pagerDuty);
    pagerDuty.setExecutor(Executors.newCachedThreadPool());
    pagerDuty.start();
    String eventsUrl = "http://127.0.0.1:" + pagerDuty.getAddress().getPort() + "/v2/enqueue";
    String jdbcUrl = "jdbc:h2:file:" + Files.createTempDirectory("scoville-faults").resolve("scoville");
    int port = LocalResources.freePort();
    URI webhook = URI.create("http://127.0.0.1:" + port + "/api/v1/alerts/alertmanager");
    startNode(port, jdbcUrl, eventsUrl);

    Instant start = Instant.now();
    ScheduledExecutorService senders = Executors.newScheduledThreadPool(16);
    for (int i = 0; i < alerts; i++) {
      int alert = i;
      long firesAfter = Math.round(i * 1000 / perSecond);
      Instant resolvesAt = start.plusMillis(firesAfter + HOLD.toMillis());
      // As Alertmanager flushes an alert group: the resolve goes out only after the firing was taken.
      senders.schedule(() -> {
        send(webhook, alert, false);
        long wait = Math.max(0, Duration.between(Instant.now(), resolvesAt).toMillis());
        senders.schedule(() -> send(webhook, alert, true), wait, TimeUnit.MILLISECONDS);
      }, firesAfter, TimeUnit.MILLISECONDS);
    }
    long arriving = Math.round(alerts * 1000 / perSecond);
    // Three kills while alerts arrive, one while they resolve, the rest while the outbox drains.
    List<Long> killAt = new ArrayList<>();
    for (int k = 0; k < kills; k++) {
      killAt.add(k < 3 ? arriving * (k + 1) / 4 : k == 3 ? arriving + HOLD.toMillis() / 2 : -1L);
    }
    for (long at : killAt) {
      if (at < 0) {
        continue;
      }
      sleepUntil(start.plusMillis(at));
      killAndRestart(port, jdbcUrl, eventsUrl);
    }
    while (resolveAccepted.size() < alerts) {
      Thread.sleep(50);
    }
    Instant lastAccepted = resolveAccepted.values().stream().max(Instant::compareTo).orElseThrow();
    for (long at : killAt) {
      if (at < 0) {
        Thread.sleep(2_000);
        killAndRestart(port, jdbcUrl, eventsUrl);
      }
    }
    Instant drainLimit = lastAccepted.plus(DRAIN_LIMIT);
    while (missing() > 0 && Instant.now().isBefore(drainLimit)) {
      Thread.sleep(100);
    }
    senders.shutdownNow();
    report(lastAccepted);
    node.destroyForcibly().waitFor();
    pagerDuty.stop(0);
  }

  /** The webhook for one alert, retried until a 2xx as Alertmanager does. */
  private void send(URI webhook, int alert, boolean resolved) {
    String now = Instant.now().toString();
    String body = new JsonObject().put("version", "4").put("status", resolved ? "resolved" : "firing")
        .put("alerts", List.of(new JsonObject()
            .put("status", resolved ? "resolved" : "firing")
            .put("labels", new JsonObject().put("alertname", "FaultDrill" + alert).put("severity", "critical"))
            .put("annotations", new JsonObject().put("summary", "fault drill alert " + alert))
            .put("startsAt", "2026-11-30T00:00:00Z")
            .put("endsAt", resolved ? now : "0001-01-01T00:00:00Z"))).encode();
    while (true) {
      try {
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 == 2) {
          (resolved ? resolveAccepted : firingAccepted).put(alert, Instant.now());
          return;
        }
      } catch (IOException e) {
        // Scoville is down or restarting: Alertmanager retries too.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** PagerDuty's Events API, failing a fraction of calls: 500, 429, or a stall past the deadline. */
  private void pagerDuty(HttpExchange exchange) throws IOException {
    JsonObject event = new JsonObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (random.nextDouble() < faults) {
      failed.incrementAndGet();
      switch (random.nextInt(3)) {
        case 0 -> answer(exchange, 500, new JsonObject().put("status", "error").put("message", "internal error"));
        case 1 -> {
          exchange.getResponseHeaders().add("Retry-After", "1");
          answer(exchange, 429, new JsonObject().put("status", "throttle event").put("message", "slow down"));
        }
        default -> {
          try {
            Thread.sleep(STALL.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        }
      }
      return;
    }
    answered.incrementAndGet();
    received.add(new Received(Instant.now(), event.getString("event_action"), event.getString("dedup_key")));
    answer(exchange, 202, new JsonObject().put("status", "success").put("message", "Event processed")
        .put("dedup_key", event.getString("dedup_key")));
  }

  private static void answer(HttpExchange exchange, int status, JsonObject body) throws IOException {
    byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  /** Accepted alerts still missing their trigger or their resolve at PagerDuty. */
  private long missing() {
    Map<Integer, List<String>> byAlert = actionsByAlert();
    return firingAccepted.keySet().stream().filter(a -> {
      List<String> actions = byAlert.getOrDefault(a, List.of());
      return !actions.contains("trigger") || resolveAccepted.containsKey(a) && !actions.contains("resolve");
    }).count();
  }

  private Map<Integer, List<String>> actionsByAlert() {
    Map<Integer, List<String>> byAlert = new HashMap<>();
    for (Received r : received) {
      Matcher m = DEDUP.matcher(r.dedupKey());
      if (m.find()) {
        byAlert.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>()).add(r.action());
      }
    }
    return byAlert;
  }

  private void report(Instant lastAccepted) {
    Map<Integer, List<String>> byAlert = actionsByAlert();
    Map<String, Integer> copies = new HashMap<>();
    received.forEach(r -> copies.merge(r.action() + " " + r.dedupKey(), 1, Integer::sum));
    long duplicated = copies.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
    long outOfOrder = byAlert.values().stream().filter(actions -> {
      int trigger = actions.indexOf("trigger");
      int resolve = actions.indexOf("resolve");
      return resolve >= 0 && (trigger < 0 || resolve < trigger || actions.lastIndexOf("trigger") > resolve);
    }).count();
    long delivered = firingAccepted.keySet().stream()
        .filter(a -> byAlert.getOrDefault(a, List.of()).containsAll(List.of("trigger", "resolve"))).count();
    Instant lastDelivery = received.stream().map(Received::at).max(Instant::compareTo).orElse(lastAccepted);
    long drainMillis = Math.max(0, Duration.between(lastAccepted, lastDelivery).toMillis());
    System.out.printf("%d alerts at %.1f/s, %.0f %% PagerDuty faults (500, 429, %d s stalls), %d SIGKILLs:%n",
        alerts, perSecond, faults * 100, STALL.toSeconds(), kills);
    System.out.printf("  accepted %d firing + %d resolved; delivered (trigger and resolve) %d; lost %d;"
            + " duplicated %d; out of order %d; drain after the last accepted alert %.1f s%s%n",
        firingAccepted.size(), resolveAccepted.size(), delivered, missing(), duplicated, outOfOrder,
        drainMillis / 1000.0, missing() > 0 ? " (gave up after " + DRAIN_LIMIT.toMinutes() + " min)" : "");
    System.out.printf("  PagerDuty stand-in: %d events accepted, %d calls failed on purpose%n", answered.get(),
        failed.get());
  }

  private void killAndRestart(int port, String jdbcUrl, String eventsUrl) throws Exception {
    node.destroyForcibly().waitFor();
    System.out.printf("SIGKILL at %s (exit %d); restarting%n", Instant.now(), node.exitValue());
    startNode(port, jdbcUrl, eventsUrl);
  }

  private void startNode(int port, String jdbcUrl, String eventsUrl) throws Exception {
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), PagingNode.class.getName(), String.valueOf(port), jdbcUrl,
        eventsUrl, TOKEN).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.equals("READY")) {
      // its log lines
    }
    if (line == null) {
      throw new IllegalStateException("the paging node did not start");
    }
    Thread drain = new Thread(() -> {
      try {
        out.lines().forEach(l -> { });
      } catch (java.io.UncheckedIOException e) {
        // killed: nothing more to read
      }
    });
    drain.setDaemon(true);
    drain.start();
    node = process;
  }

  private static void sleepUntil(Instant at) throws InterruptedException {
    long millis = Duration.between(Instant.now(), at).toMillis();
    if (millis > 0) {
      Thread.sleep(millis);
    }
  }
}
