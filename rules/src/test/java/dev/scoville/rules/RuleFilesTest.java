package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.ConfigFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleFilesTest {
  private static final Path PROMETHEUS_FILE = Path.of("src/test/resources/rules/prometheus_rules.yml");

  @TempDir
  Path dir;

  @Test
  void loadsTheRulesOfAPrometheusRuleFileAndNamesTheBrokenOnes() {
    RuleLoader loader = new RuleLoader(policy -> true).loadFile(PROMETHEUS_FILE);

    assertThat(loader.rules()).extracting(AlertRule::name).containsExactly("ShopErrorsHigh", "InstanceDown");
    assertThat(loader.groups()).extracting(RuleGroup::name).containsExactly("shop", "node");
    assertThat(loader.groups().get(0).rules()).extracting(GroupRule::name)
        .containsExactly("job:shop_http_requests:rate5m", "ShopErrorsHigh");
    assertThat(loader.problems()).containsExactly(
        PROMETHEUS_FILE + ":16:15: rule BrokenRate: column 6: rate() needs a range vector, e.g. shop_http_requests_total[5m],"
            + " got an instant vector");
  }

  @Test
  void readsRuleFilesNamedInTheConfigurationRelativeToIt() throws Exception {
    Files.copy(PROMETHEUS_FILE, dir.resolve("shop.rules.yml"));
    Path config = dir.resolve("scoville.yaml");
    Files.writeString(config, """
        rules:
          files: [shop.rules.yml, missing.yml]
          groups:
            - name: inline
              rules:
                - alert: PaymentSuccessLow
                  expr: payment_success_ratio < 0.95
        """);
    ConfigFile file = ConfigFile.parse(config.toString(), Files.readString(config), Map.of());

    RuleLoader loader = new RuleLoader(policy -> true)
        .loadConfigured(file, file.section("rules", RulesConfig.class, RulesConfig.none()));

    assertThat(loader.rules()).extracting(AlertRule::name)
        .containsExactly("PaymentSuccessLow", "ShopErrorsHigh", "InstanceDown");
    assertThat(loader.problems()).hasSize(2).last().asString()
        .startsWith(dir.resolve("missing.yml") + ": cannot read");
  }

  @Test
  void eachRuleIsCheckedWhereItIsWrittenAndABadOneLeavesTheOthersLoaded() throws Exception {
    Path file = dir.resolve("hysteresis.yml");
    Files.writeString(file, """
        groups:
          - name: checkout
            rules:
              - alert: CheckoutSlow
                expr: checkout_p95 > 0.8
                resolve_when: checkout_p95 < 0.6
                group_by: [shop]
                flap_window: 15m
              - alert: BadResolve
                expr: checkout_p95 > 0.8
                resolve_when: rate(checkout_p95) < 0.6
              - alert: BadFor
                expr: checkout_p95 > 0.8
                for: 5x
              - alert: CheckoutDown
                expr: absent(checkout_p95)
        """);

    RuleLoader loader = new RuleLoader(policy -> true).loadFile(file);

    assertThat(loader.rules()).extracting(AlertRule::name).containsExactly("CheckoutSlow", "CheckoutDown");
    assertThat(loader.rules().get(0).resolveWhen()).hasToString("checkout_p95 < 0.6");
    assertThat(loader.problems()).hasSize(2);
    assertThat(loader.problems().get(0)).isEqualTo(
        file + ":11:23: rule BadResolve: column 6: rate() needs a range vector, e.g. checkout_p95[5m], got an instant vector");
    assertThat(loader.problems().get(1)).startsWith(file + ":14:14: groups[0].rules[2].for: ");
  }

  @Test
  void checkRulesPrintsEachProblemAndExitsNonZero() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exit = CheckRules.run(new String[] {PROMETHEUS_FILE.toString()}, print(out), print(err));

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8).lines()).hasSize(1).allMatch(l -> l.startsWith(PROMETHEUS_FILE + ":"));
  }

  @Test
  void checkRulesCountsTheRulesOfAGoodFile() throws Exception {
    Path good = dir.resolve("good.yml");
    Files.writeString(good, "groups:\n  - name: g\n    rules:\n      - alert: Up\n        expr: up == 0\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int exit = CheckRules.run(new String[] {good.toString()}, print(out), print(new ByteArrayOutputStream()));

    assertThat(exit).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(good + ": 1 rules found\n");
  }

  private static PrintStream print(ByteArrayOutputStream buffer) {
    return new PrintStream(buffer, true, StandardCharsets.UTF_8);
  }

  @Test
  void readsForAndKeepFiringForInEveryPrometheusDurationForm() throws Exception {
    Path file = dir.resolve("durations.yml");
    Files.writeString(file, """
        groups:
          - name: durations
            rules:
              - {alert: QuotedZero, expr: up == 0, for: "0"}
              - {alert: BareZero, expr: up == 0, for: 0, keep_firing_for: 1w}
              - {alert: Compound, expr: up == 0, for: 1h30m, keep_firing_for: 1y}
              - {alert: Days, expr: up == 0, for: 1d}
        """);

    RuleLoader loader = new RuleLoader(policy -> true).loadFile(file);

    assertThat(loader.problems()).isEmpty();
    assertThat(loader.rules()).extracting(AlertRule::name).containsExactly("QuotedZero", "BareZero", "Compound", "Days");
  }

  @Test
  void refusesAnAnnotationTemplateCallingAnUnknownFunctionWhereItIsWritten() throws Exception {
    Path file = dir.resolve("templates.yml");
    Files.writeString(file, """
        groups:
          - name: templates
            rules:
              - alert: DiskFilling
                expr: disk_free_ratio < 0.1
                annotations:
                  summary: "{{ $labels.instance }} has {{ $value | humanizePercent }} free"
              - alert: DiskFull
                expr: disk_free_ratio < 0.01
                labels:
                  severity: '{{ if lt $value 0.001 }}critical{{ else }}error{{ end }}'
                annotations:
                  summary: "{{ $labels.instance }} has {{ $value | humanizePercentage }} free"
        """);

    RuleLoader loader = new RuleLoader(policy -> true).loadFile(file);

    assertThat(loader.problems()).containsExactly(file + ":7:20: rule DiskFilling: annotations.summary: column 40:"
        + " function \"humanizePercent\" not defined");
    assertThat(loader.rules()).extracting(AlertRule::name).containsExactly("DiskFull");
  }
}
