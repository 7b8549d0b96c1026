package dev.scoville.runbooks;

import dev.scoville.core.ConfigFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The runbooks of a directory ({@code *.md}) or the default peak-season set shipped with Scoville.
 * A watched directory is polled and reloaded when a file is added, changed or removed; readers get
 * an immutable snapshot, so they never see a half-loaded library. A broken file is reported in
 * {@link #problems()} and the others still load.
 */
public final class RunbookLibrary implements AutoCloseable {
  static final List<String> DEFAULTS =
      List.of(
          "payment-gateway-outage.md",
          "checkout-latency.md",
          "database-saturation.md",
          "static-asset-failure.md",
          "traffic-surge.md",
          "logistics-api-down.md",
          "inventory-stock-out.md",
          "customer-communication.md");
  private static final String DEFAULTS_PATH = "dev/scoville/runbooks/defaults/";

  private final Path directory;
  private volatile Snapshot snapshot;
  private final ScheduledExecutorService poller;

  private RunbookLibrary(Path directory, Snapshot snapshot, Duration every) {
    this.directory = directory;
    this.snapshot = snapshot;
    if (every == null) {
      poller = null;
      return;
    }
    poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "runbook-reload");
              t.setDaemon(true);
              return t;
            });
    poller.scheduleWithFixedDelay(
        this::reloadIfChanged, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The default set, read from the classpath. */
  public static RunbookLibrary defaults() {
    List<RunbookProblem> problems = new ArrayList<>();
    List<Runbook> runbooks = new ArrayList<>();
    for (String name : DEFAULTS) {
      try (InputStream in =
          RunbookLibrary.class.getClassLoader().getResourceAsStream(DEFAULTS_PATH + name)) {
        if (in == null) {
          throw new IllegalStateException("default runbook missing from the classpath: " + name);
        }
        Runbook runbook =
            RunbookParser.parse(
                "classpath:" + DEFAULTS_PATH + name,
                new String(in.readAllBytes(), StandardCharsets.UTF_8),
                problems);
        if (runbook != null) {
          runbooks.add(runbook);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new RunbookLibrary(null, new Snapshot(runbooks, problems, Map.of()), null);
  }

  /** Loads {@code directory} once, without watching it. */
  public static RunbookLibrary load(Path directory) {
    return new RunbookLibrary(directory, read(directory), null);
  }

  /**
   * Loads {@code directory} and checks it for changes every {@code every}; {@link #close()} stops
   * that.
   */
  public static RunbookLibrary watch(Path directory, Duration every) {
    return new RunbookLibrary(directory, read(directory), every);
  }

  /**
   * From the config section {@code runbooks: {directory: …, reload_every: 2s}}: the watched
   * directory, or the default set when the section or its directory is absent.
   */
  public static RunbookLibrary fromConfig(ConfigFile config) {
    Section section = config.section("runbooks", Section.class, new Section(null, null));
    if (section.directory() == null) {
      return defaults();
    }
    return watch(
        Path.of(section.directory()),
        section.reloadEvery() == null ? Duration.ofSeconds(2) : section.reloadEvery());
  }

  public List<Runbook> runbooks() {
    return snapshot.runbooks;
  }

  /** The runbooks whose front matter names {@code rule}. */
  public List<Runbook> forRule(String rule) {
    return snapshot.runbooks.stream().filter(r -> r.rules().contains(rule)).toList();
  }

  /** Files that could not be read as runbooks, or only in part. */
  public List<RunbookProblem> problems() {
    return snapshot.problems;
  }

  /** Reloads when a file was added, changed or removed; true when it did. Blocking (file I/O). */
  public boolean reloadIfChanged() {
    if (directory == null) {
      return false;
    }
    try {
      if (fingerprint(directory).equals(snapshot.fingerprint)) {
        return false;
      }
      snapshot = read(directory);
      return true;
    } catch (RuntimeException e) {
      // a directory that vanished for a moment (an editor saving, a deploy) keeps the last good set
      return false;
    }
  }

  @Override
  public void close() {
    if (poller != null) {
      poller.shutdownNow();
    }
  }

  private static Snapshot read(Path directory) {
    Map<Path, String> fingerprint = fingerprint(directory);
    List<RunbookProblem> problems = new ArrayList<>();
    List<Runbook> runbooks = new ArrayList<>();
    for (Path file : fingerprint.keySet()) {
      try {
        Runbook runbook = RunbookParser.parse(file.toString(), Files.readString(file), problems);
        if (runbook != null) {
          runbooks.add(runbook);
        }
      } catch (IOException e) {
        problems.add(new RunbookProblem(file.toString(), 0, "cannot read: " + e.getMessage()));
      }
    }
    return new Snapshot(runbooks, problems, fingerprint);
  }

  /** Each Markdown file with its modification time and size: a change to either means reload. */
  private static Map<Path, String> fingerprint(Path directory) {
    Map<Path, String> fingerprint = new TreeMap<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (file.getFileName().toString().endsWith(".md") && Files.isRegularFile(file)) {
          fingerprint.put(
              file, Files.getLastModifiedTime(file).toMillis() + "/" + Files.size(file));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list runbooks in " + directory, e);
    }
    return fingerprint;
  }

  private record Snapshot(
      List<Runbook> runbooks, List<RunbookProblem> problems, Map<Path, String> fingerprint) {
    Snapshot {
      runbooks = List.copyOf(runbooks);
      problems = List.copyOf(problems);
      fingerprint = Map.copyOf(fingerprint);
    }
  }

  private record Section(
      String directory,
      @com.fasterxml.jackson.annotation.JsonProperty("reload_every") Duration reloadEvery) {}
}
