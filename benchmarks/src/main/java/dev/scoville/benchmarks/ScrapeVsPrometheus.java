package dev.scoville.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
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
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Scrapes the same loopback targets with Debian's Prometheus and then with Scoville's ingest
 * ({@link HeadlessScoville}, a process of its own), each for a warm-up and then a measured
 * window, and prints for both the CPU (utime + stime of the process over the window, from {@code
 * /proc/<pid>/stat}) per million samples ingested, the RSS at the window's end and the scrapes
 * that failed in the window, then Scoville's ratios to Prometheus.
 *
 * <p>{@code benchmarks/scrape-vs-prometheus [warm-up s] [window s] [targets] [Scoville JVM
 * options...]}, defaults 60 60 100; e.g. {@code -XX:StartFlightRecording=...} profiles Scoville.
 * Scoville runs with {@code MALLOC_ARENA_MAX=2} in its environment, as the launcher starts it; the
 * JVM options are the caller's, so that the launcher's (README, "Running it: JVM options") are
 * given on the command line.
 * {@code -Donly=scoville} (a property of the harness's own JVM) skips Prometheus, for trying
 * Scoville's JVM options.
 */
public final class ScrapeVsPrometheus {
  private static final long INTERVAL_SECONDS = 5;
  private static final long CLOCK_TICKS_PER_SECOND = 100;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ScrapeVsPrometheus() {}

  record Figures(String system, double cpuSeconds, long samples, long failures, long rssKib) {
    double cpuPerMillion() {
      return cpuSeconds / (samples / 1e6);
    }
  }

  public static void main(String[] args) throws Exception {
    long warmup = args.length > 0 ? Long.parseLong(args[0]) : 60;
    long window = args.length > 1 ? Long.parseLong(args[1]) : 60;
    int targetCount = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    List<String> jvmOptions = args.length > 3 ? Arrays.asList(args).subList(3, args.length) : List.of();
    Path work = Files.createTempDirectory("scrape-vs-prometheus");
    try (LoopbackTargets targets = new LoopbackTargets(targetCount, INTERVAL_SECONDS * 1000)) {
      System.out.printf("%d loopback targets x %d series every %d s; warm-up %d s, window %d s%n",
          targetCount, ExporterPayload.SERIES, INTERVAL_SECONDS, warmup, window);
      boolean withPrometheus = !"scoville".equals(System.getProperty("only"));
      Figures prometheus = withPrometheus ? prometheus(work.resolve("prometheus"), targets.urls(), warmup, window) : null;
      if (prometheus != null) {
        print(prometheus);
      }
      Figures scoville = scoville(work.resolve("scoville"), targets.urls(), warmup, window, jvmOptions);
      print(scoville);
      if (prometheus == null) {
        return;
      }
      System.out.printf(Locale.ROOT, "ratio Scoville/Prometheus: CPU per sample %.2fx, RSS %.2fx%n",
          scoville.cpuPerMillion() / prometheus.cpuPerMillion(), (double) scoville.rssKib / prometheus.rssKib);
    } finally {
      LocalResources.deleteTree(work);
    }
  }

  private static Figures prometheus(Path dir, List<URI> targets, long warmup, long window) throws Exception {
    Files.createDirectories(dir);
    int port = LocalResources.freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: " + INTERVAL_SECONDS + "s\n  scrape_timeout: "
        + INTERVAL_SECONDS + "s\nscrape_configs:\n  - job_name: bench\n    static_configs:\n      - targets: ["
        + targets.stream().map(u -> "'" + u.getHost() + ":" + u.getPort() + "'").collect(Collectors.joining(", "))
        + "]\n");
    Process process = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    try {
      String base = "http://127.0.0.1:" + port;
      Thread.sleep(warmup * 1000);
      long cpu0 = cpuTicks(process.pid());
      long samples0 = prometheusSamples(base);
      Thread.sleep(window * 1000);
      long cpu1 = cpuTicks(process.pid());
      long samples1 = prometheusSamples(base);
      long rss = rssKib(process.pid());
      // Failed scrapes in the window: scrapes counted minus those that were up.
      String failedQuery = "sum(count_over_time(up{job=\"bench\"}[" + window + "s])) - sum(sum_over_time(up{job=\"bench\"}[" + window + "s]))";
      long failures = Math.round(queryScalar(base, failedQuery));
      return new Figures("Prometheus", (cpu1 - cpu0) / (double) CLOCK_TICKS_PER_SECOND, samples1 - samples0, failures, rss);
    } finally {
      process.destroy();
      process.waitFor();
    }
  }

  private static Figures scoville(Path dir, List<URI> targets, long warmup, long window, List<String> jvmOptions)
      throws Exception {
    Files.createDirectories(dir);
    Path targetFile = dir.resolve("targets.txt");
    Files.write(targetFile, targets.stream().map(URI::toString).toList());
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", Path.of(HeadlessScoville.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
        HeadlessScoville.class.getName(), dir.toString(), String.valueOf(INTERVAL_SECONDS), targetFile.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(dir.resolve("scoville.log").toFile());
    // What the launcher puts in the environment of the JVM it starts (JvmDefaults.ENVIRONMENT).
    builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
    Process process = builder.start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8)) {
      // JVM options such as -XX:StartFlightRecording print a line of their own first.
      for (String line = out.readLine(); !"started".equals(line); line = out.readLine()) {
        if (line == null) {
          throw new IllegalStateException("Scoville did not start: see " + dir.resolve("scoville.log"));
        }
      }
      Thread.sleep(warmup * 1000);
      long cpu0 = cpuTicks(process.pid());
      long[] stats0 = stats(in, out);
      Thread.sleep(window * 1000);
      long cpu1 = cpuTicks(process.pid());
      long[] stats1 = stats(in, out);
      long rss = rssKib(process.pid());
      // After the window, so that the collection costs the figures above nothing.
      in.println("heap");
      long heap = Long.parseLong(out.readLine());
      System.out.printf(Locale.ROOT, "Scoville heap after a full GC: %,d MiB for %,d series = %,d bytes per series (store, scrape caches, history)%n",
          heap >> 20, stats1[2], heap / Math.max(1, stats1[2]));
      return new Figures("Scoville", (cpu1 - cpu0) / (double) CLOCK_TICKS_PER_SECOND, stats1[0] - stats0[0],
          stats1[1] - stats0[1], rss);
    } finally {
      process.destroy();
      process.waitFor();
    }
  }

  private static long[] stats(PrintWriter in, BufferedReader out) throws IOException {
    in.println("stats");
    return Arrays.stream(out.readLine().split(" ")).mapToLong(Long::parseLong).toArray();
  }

  private static void print(Figures f) {
    System.out.printf(Locale.ROOT, "%-10s CPU %.1f s for %,d samples = %.2f CPU-s per million samples; RSS %,d MiB; failed scrapes %d%n",
        f.system, f.cpuSeconds, f.samples, f.cpuPerMillion(), f.rssKib / 1024, f.failures);
  }

  /** utime + stime, in clock ticks: fields 14 and 15 of /proc/<pid>/stat, counted after the command's ")". */
  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for process " + pid);
  }

  private static long prometheusSamples(String base) throws Exception {
    String metrics = get(base + "/metrics");
    double total = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("prometheus_tsdb_head_samples_appended_total")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Math.round(total);
  }

  private static double queryScalar(String base, String query) throws Exception {
    String json = get(base + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    Matcher value = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]").matcher(json);
    return value.find() ? Double.parseDouble(value.group(1)) : 0;
  }

  private static String get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
