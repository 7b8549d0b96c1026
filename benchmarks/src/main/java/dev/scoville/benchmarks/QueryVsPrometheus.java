package dev.scoville.benchmarks;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Debian's Prometheus and Scoville ({@link QueryNode}, a process of its own) scrape the same
 * loopback targets at the same time; after the warm-up both answer the same instant queries at the
 * same evaluation time over {@code /api/v1/query}, taking turns, and the harness prints each
 * query's p50 and p99 latency (request sent to answer read) for both, the ratio, and how far the two
 * answers differ. The queries are a fleet-wide rule expression over every target's request
 * counters and the same for one shop's target.
 *
 * <p>{@code benchmarks/query-vs-prometheus [warm-up s] [queries] [targets] [Scoville JVM
 * options...]}, defaults 330 (so that the 5-minute rate windows are full), 200 and 100.
 */
public final class QueryVsPrometheus {
  private static final long INTERVAL_SECONDS = 5;
  private static final int WARM_UP_QUERIES = 20;
  /** Past Prometheus's and Scoville's own 2-minute query timeout: a stalled answer fails the run. */
  private static final java.time.Duration ANSWER_TIMEOUT = java.time.Duration.ofMinutes(3);
  private static final String FLEET = "sum by (route) (rate(http_requests_total{code=~\"5..\"}[5m]))"
      + " / sum by (route) (rate(http_requests_total[5m]))";
  // HTTP/1.1 as Prometheus speaks it on plain HTTP: the JDK client's h2c upgrade attempt stalled a run.
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private QueryVsPrometheus() {}

  public static void main(String[] args) throws Exception {
    long warmup = args.length > 0 ? Long.parseLong(args[0]) : 330;
    int queries = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int targetCount = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    List<String> jvmOptions = args.length > 3 ? Arrays.asList(args).subList(3, args.length) : List.of();
    Path work = Files.createTempDirectory("query-vs-prometheus");
    // Interrupted (Ctrl-C), the harness still stops the Prometheus it started.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().children().forEach(ProcessHandle::destroy)));
    Process prometheus = null;
    Process scoville = null;
    try (LoopbackTargets targets = new LoopbackTargets(targetCount, INTERVAL_SECONDS * 1000)) {
      URI shop = targets.urls().get(0);
      String single = "sum by (route) (rate(http_requests_total{instance=\"" + shop.getHost() + ":" + shop.getPort()
          + "\",code=~\"5..\"}[5m])) / sum by (route) (rate(http_requests_total{instance=\"" + shop.getHost() + ":"
          + shop.getPort() + "\"}[5m]))";
      int port = LocalResources.freePort();
      prometheus = startPrometheus(work, targets.urls(), port);
      String prometheusApi = "http://127.0.0.1:" + port;
      scoville = startScoville(work, targets.urls(), jvmOptions);
      String scovilleApi = awaitApi(scoville);
      System.out.printf(Locale.ROOT, "%d loopback targets x %d series every %d s, both scraping; warm-up %d s%n",
          targetCount, ExporterPayload.SERIES, INTERVAL_SECONDS, warmup);
      Thread.sleep(warmup * 1000);
      // One evaluation time for every query: both answer over the same scraped data.
      long time = System.currentTimeMillis() / 1000 - INTERVAL_SECONDS;
      compare("fleet-wide", FLEET, time, queries, prometheusApi, scovilleApi);
      compare("single shop", single, time, queries, prometheusApi, scovilleApi);
    } finally {
      stop(scoville);
      if (prometheus != null) {
        prometheus.destroy();
        prometheus.waitFor();
      }
      LocalResources.deleteTree(work);
    }
  }

  private static void compare(String name, String query, long time, int queries, String prometheusApi,
      String scovilleApi) throws Exception {
    String path = "/api/v1/query?time=" + time + "&query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
    Map<String, Double> prometheusAnswer = answer(prometheusApi + path);
    Map<String, Double> scovilleAnswer = answer(scovilleApi + path);
    for (int i = 0; i < WARM_UP_QUERIES; i++) {
      get(prometheusApi + path);
      get(scovilleApi + path);
    }
    long[] prometheusNanos = new long[queries];
    long[] scovilleNanos = new long[queries];
    for (int i = 0; i < queries; i++) {
      prometheusNanos[i] = timed(prometheusApi + path);
      scovilleNanos[i] = timed(scovilleApi + path);
    }
    Arrays.sort(prometheusNanos);
    Arrays.sort(scovilleNanos);
    System.out.printf(Locale.ROOT, "%s: %s%n", name, query);
    System.out.printf(Locale.ROOT, "  Prometheus p50 %.2f ms, p99 %.2f ms; Scoville p50 %.2f ms, p99 %.2f ms (%d queries each)%n",
        millis(prometheusNanos, 0.50), millis(prometheusNanos, 0.99), millis(scovilleNanos, 0.50),
        millis(scovilleNanos, 0.99), queries);
    System.out.printf(Locale.ROOT, "  ratio Scoville/Prometheus: p50 %.2fx, p99 %.2fx%n",
        millis(scovilleNanos, 0.50) / millis(prometheusNanos, 0.50),
        millis(scovilleNanos, 0.99) / millis(prometheusNanos, 0.99));
    System.out.printf(Locale.ROOT, "  answers: Prometheus %d series, Scoville %d, largest relative difference %.2g%n",
        prometheusAnswer.size(), scovilleAnswer.size(), largestDifference(prometheusAnswer, scovilleAnswer));
  }

  /** The answer's series (labels as JSON) and values. */
  private static Map<String, Double> answer(String url) throws Exception {
    JsonObject json = new JsonObject(get(url));
    if (!"success".equals(json.getString("status"))) {
      throw new IllegalStateException(url + " answered " + json.encode());
    }
    Map<String, Double> out = new HashMap<>();
    JsonArray result = json.getJsonObject("data").getJsonArray("result");
    for (int i = 0; i < result.size(); i++) {
      JsonObject sample = result.getJsonObject(i);
      out.put(new JsonObject(new java.util.TreeMap<>(sample.getJsonObject("metric").getMap())).encode(),
          Double.parseDouble(sample.getJsonArray("value").getString(1)));
    }
    return out;
  }

  /** The largest relative difference between values of the same series; infinite when series differ. */
  private static double largestDifference(Map<String, Double> a, Map<String, Double> b) {
    if (!a.keySet().equals(b.keySet())) {
      return Double.POSITIVE_INFINITY;
    }
    double largest = 0;
    for (Map.Entry<String, Double> e : a.entrySet()) {
      double x = e.getValue();
      double y = b.get(e.getKey());
      if (x != y) {
        largest = Math.max(largest, Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y)));
      }
    }
    return largest;
  }

  private static long timed(String url) throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(ANSWER_TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
    long nanos = System.nanoTime() - start;
    if (response.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
    }
    return nanos;
  }

  private static double millis(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }

  private static Process startPrometheus(Path work, List<URI> targets, int port) throws Exception {
    Path dir = Files.createDirectories(work.resolve("prometheus"));
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: " + INTERVAL_SECONDS + "s\n  scrape_timeout: "
        + INTERVAL_SECONDS + "s\nscrape_configs:\n  - job_name: bench\n    static_configs:\n      - targets: ["
        + targets.stream().map(u -> "'" + u.getHost() + ":" + u.getPort() + "'").collect(Collectors.joining(", "))
        + "]\n");
    return new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
  }

  private static Process startScoville(Path work, List<URI> targets, List<String> jvmOptions) throws Exception {
    Path dir = Files.createDirectories(work.resolve("scoville"));
    Path targetFile = dir.resolve("targets.txt");
    Files.write(targetFile, targets.stream().map(URI::toString).toList());
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), QueryNode.class.getName(),
        String.valueOf(INTERVAL_SECONDS), targetFile.toString()));
    return new ProcessBuilder(command).redirectError(dir.resolve("scoville.log").toFile()).start();
  }

  private static String awaitApi(Process scoville) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(scoville.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith("api ")) {
        return line.substring("api ".length());
      }
    }
    throw new IllegalStateException("Scoville's query node ended before serving");
  }

  private static void stop(Process process) throws Exception {
    if (process != null) {
      process.getOutputStream().close();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static String get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(ANSWER_TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
