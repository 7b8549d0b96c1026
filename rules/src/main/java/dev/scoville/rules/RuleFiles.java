package dev.scoville.rules;

import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the rules come from (the configuration's {@code rules} section and the rule files it
 * names), watched for changes and reloaded all or nothing: a broken file leaves the previous rules
 * running and says why.
 */
final class RuleFiles implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RuleFiles.class);

  private final Path configPath;
  private final Predicate<String> knownPolicy;
  private final RuleEvaluator evaluator;
  private ConfigFile config;
  private RulesConfig rulesConfig;
  private Map<Path, FileTime> versions;
  private ScheduledExecutorService watcher;
  /** Rules left out at start until a reload succeeds, or why the last reload was refused. */
  private volatile List<String> problems = List.of();

  RuleFiles(ConfigFile config, RulesConfig rulesConfig, Predicate<String> knownPolicy, RuleEvaluator evaluator) {
    Path source = Path.of(config.source());
    this.configPath = Files.isRegularFile(source) ? source : null;
    this.config = config;
    this.rulesConfig = rulesConfig;
    this.knownPolicy = knownPolicy;
    this.evaluator = evaluator;
    this.versions = versions();
  }

  /** As above; {@code problems} are the rules left out when they were first loaded. */
  RuleFiles(ConfigFile config, RulesConfig rulesConfig, Predicate<String> knownPolicy, RuleEvaluator evaluator,
      List<String> problems) {
    this(config, rulesConfig, knownPolicy, evaluator);
    this.problems = List.copyOf(problems);
  }

  /**
   * What is wrong with the rules now, as {@code file:line: reason}: the rules left out at start
   * until a reload succeeds, then why the last reload was refused (its previous rules still run).
   */
  List<String> problems() {
    return problems;
  }

  /** Checks every {@code period} whether a file changed, and reloads when one did. */
  void watch(Duration period) {
    watcher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "rule-files");
      t.setDaemon(true);
      return t;
    });
    watcher.scheduleWithFixedDelay(() -> {
      if (!versions().equals(versionsSeen())) {
        reload();
      }
    }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Problems that kept the previous rules, or none when the new ones are in place. */
  synchronized List<String> reload() {
    ConfigFile freshConfig = config;
    RulesConfig freshRules = rulesConfig;
    Map<Path, FileTime> seen = versions();
    try {
      if (configPath != null) {
        freshConfig = ConfigFile.load(configPath);
        freshRules = freshConfig.section("rules", RulesConfig.class, RulesConfig.none());
      }
    } catch (ConfigException e) {
      return refused(List.of(e.getMessage()), seen);
    }
    RuleLoader loader = new RuleLoader(knownPolicy).loadConfigured(freshConfig, freshRules);
    if (!loader.problems().isEmpty()) {
      return refused(loader.problems(), seen);
    }
    evaluator.replace(loader.groups());
    problems = List.of();
    config = freshConfig;
    rulesConfig = freshRules;
    versions = versions();
    LOG.info("Rules reloaded: {} rules in {} groups", loader.groups().stream().mapToInt(g -> g.rules().size()).sum(),
        loader.groups().size());
    return List.of();
  }

  private List<String> refused(List<String> problems, Map<Path, FileTime> seen) {
    // Remembered as seen, so that a broken file is reported once, not at every check.
    versions = seen;
    problems.forEach(p -> LOG.error("Rules not reloaded, the previous ones stay: {}", p));
    this.problems = List.copyOf(problems);
    return this.problems;
  }

  private synchronized Map<Path, FileTime> versionsSeen() {
    return versions;
  }

  /** Modification times of the configuration and the rule files (null: missing). */
  private Map<Path, FileTime> versions() {
    Map<Path, FileTime> out = new HashMap<>();
    if (configPath != null) {
      out.put(configPath, modified(configPath));
    }
    Path base = Path.of(config.source()).toAbsolutePath().getParent();
    for (Path file : rulesConfig.files()) {
      Path resolved = base == null ? file : base.resolve(file);
      out.put(resolved, modified(resolved));
    }
    return out;
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    if (watcher != null) {
      watcher.shutdownNow();
    }
  }
}
