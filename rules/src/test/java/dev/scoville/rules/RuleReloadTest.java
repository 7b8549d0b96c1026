package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.collector.SeriesStore;
import dev.scoville.core.ConfigFile;
import dev.scoville.core.Database;
import dev.scoville.core.Labels;
import dev.scoville.core.MutableClock;
import dev.scoville.core.Sample;
import dev.scoville.rules.notify.PagerDutyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloading rules: unchanged rules keep their alerts, removed ones resolve, a broken file changes nothing. */
class RuleReloadTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T09:00:00Z"));
  private final SeriesStore store = new SeriesStore(Duration.ofHours(1), clock);
  private Database database;
  private IncidentService incidents;
  private RuleEvaluator evaluator;
  private RuleFiles files;

  @TempDir
  Path dir;

  @BeforeEach
  void start() throws Exception {
    database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    database.migrate("rules");
    ConfigFile empty = ConfigFile.parse("scoville.yaml", "", name -> null);
    PagerDutyConfig pagerDuty = new PagerDutyConfig(java.net.URI.create("http://127.0.0.1:1/v2/enqueue"),
        "0123456789abcdef0123456789abcdef", "shop", null);
    incidents = new IncidentService(database, clock, EscalationPolicies.of(empty, List.of(), pagerDuty,
        SlackConfig.none()));
    Path configPath = dir.resolve("scoville.yaml");
    Files.writeString(configPath, "rules:\n  files: [alerts.yml]\n");
    writeRules("""
        groups:
          - name: shop
            rules:
              - alert: ShopDown
                expr: up == 0
              - alert: ShopDownWarning
                expr: up == 0
                labels: {severity: warning}
        """);
    ConfigFile config = ConfigFile.load(configPath);
    RulesConfig rulesConfig = config.section("rules", RulesConfig.class, RulesConfig.none());
    RuleLoader loader = new RuleLoader(policy -> true).loadConfigured(config, rulesConfig);
    assertThat(loader.problems()).isEmpty();
    evaluator = new RuleEvaluator(loader.groups(), store, store::append, incidents, new AlertStateStore(database), clock);
    files = new RuleFiles(config, rulesConfig, policy -> true, evaluator);
    store.append(List.of(new Sample(Labels.of("__name__", "up", "job", "shop"), clock.millis(), 0)));
    evaluateAll();
  }

  @AfterEach
  void stop() {
    evaluator.close();
    database.close();
  }

  @Test
  void keepsTheAlertsOfUnchangedRulesAndResolvesThoseOfRemovedOnes() throws Exception {
    assertThat(states()).isEqualTo(Map.of("ShopDown", "TRIGGERED", "ShopDownWarning", "TRIGGERED"));
    writeRules("""
        groups:
          - name: shop
            rules:
              - alert: ShopDown
                expr: up == 0
              - alert: ShopDownForAnHour
                expr: up == 0
                for: 1h
        """);

    assertThat(files.reload()).isEmpty();
    clock.advance(Duration.ofSeconds(15));
    evaluateAll();

    assertThat(evaluator.rules()).extracting(AlertRule::name).containsExactly("ShopDown", "ShopDownForAnHour");
    assertThat(incidents.recent(10)).hasSize(2);
    assertThat(states()).isEqualTo(Map.of("ShopDown", "TRIGGERED", "ShopDownWarning", "RESOLVED"));
  }

  @Test
  void aBrokenFileKeepsThePreviousRulesAndSaysWhy() throws Exception {
    writeRules("""
        groups:
          - name: shop
            rules:
              - alert: ShopDown
                expr: rate(up)
        """);

    List<String> problems = files.reload();

    assertThat(problems).containsExactly(dir.resolve("alerts.yml") + ":5:15: rule ShopDown: column 6: rate() needs"
        + " a range vector, e.g. up[5m], got an instant vector");
    assertThat(evaluator.rules()).extracting(AlertRule::name).containsExactly("ShopDown", "ShopDownWarning");
    clock.advance(Duration.ofSeconds(15));
    evaluateAll();
    assertThat(states()).isEqualTo(Map.of("ShopDown", "TRIGGERED", "ShopDownWarning", "TRIGGERED"));
  }

  @Test
  void reloadsWhenARuleFileChanges() throws Exception {
    files.watch(Duration.ofMillis(50));
    writeRules("""
        groups:
          - name: shop
            rules:
              - alert: ShopDown
                expr: up == 0
        """);

    long deadline = System.currentTimeMillis() + 10_000;
    while (evaluator.rules().size() != 1 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    files.close();

    assertThat(evaluator.rules()).extracting(AlertRule::name).containsExactly("ShopDown");
    assertThat(states()).isEqualTo(Map.of("ShopDown", "TRIGGERED", "ShopDownWarning", "RESOLVED"));
  }

  private void evaluateAll() {
    evaluator.groups().forEach(evaluator::evaluate);
  }

  private Map<String, String> states() {
    return incidents.recent(10).stream().collect(Collectors.toMap(Incident::rule, i -> i.state().name()));
  }

  private void writeRules(String yaml) throws Exception {
    Path file = dir.resolve("alerts.yml");
    Files.writeString(file, yaml);
    // A new modification time even on file systems with coarse timestamps.
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
        + (long) (Math.random() * 1_000_000)));
  }
}
