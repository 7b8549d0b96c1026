package dev.scoville.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoville.console.board.BoardConfig;
import dev.scoville.console.board.Tile;
import dev.scoville.console.board.TileConfig;
import dev.scoville.contingency.Action;
import dev.scoville.contingency.ActionCatalog;
import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import dev.scoville.reports.Measure;
import dev.scoville.reports.ReportPlan;
import dev.scoville.rules.RulesConfig;
import dev.scoville.rules.promql.PromQl;
import dev.scoville.runbooks.RunbookLibrary;
import dev.scoville.runbooks.RunbookLint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The built-in demo's file is the example people copy: it must be whole and consistent. */
class DemoConfigTest {
  private final ConfigFile config = ConfigFile.loadResource(Main.DEMO_CONFIG);

  @Test
  void everySectionOfTheDemoIsOneScovilleReads() {
    config.requireKnownSections(Scoville.SECTIONS);
  }

  @Test
  void aMisspeltSectionStopsTheStartBeforeAnythingStarts() {
    assertThatThrownBy(() -> Scoville.start(ConfigFile.parse("s.yaml", "demo:\n  enabled: true\nsurvers:\n  uiPort: 1\n", Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("s.yaml:3:1: unknown section \"survers\" (did you mean \"server\"?)");
    assertThatThrownBy(() -> Scoville.start(ConfigFile.parse("s.yaml", "escalations: []\n", Map.of())))
        .hasMessageStartingWith("s.yaml:1:1: unknown section \"escalations\" (did you mean \"escalation\"?)");
  }

  @Test
  void everyRuleAndActionTheDefaultRunbooksNameExists() throws Exception {
    List<RulesConfig.Rule> rules = rules();
    Set<String> ruleNames = rules.stream().map(RulesConfig.Rule::alert).collect(Collectors.toSet());
    for (RulesConfig.Rule rule : rules) {
      PromQl.parse(rule.expr());
    }

    assertThat(RunbookLint.lint(RunbookLibrary.fromConfig(config), ruleNames,
        ActionCatalog.fromConfig(config).names())).isEmpty();
  }

  @Test
  void everyRunbookAndActionTheRulesNameExists() {
    Set<String> runbooks = RunbookLibrary.fromConfig(config).runbooks().stream().map(ConsoleActions::name)
        .collect(Collectors.toSet());
    Set<String> actions = ActionCatalog.fromConfig(config).names();
    List<RulesConfig.Rule> rules = rules();

    assertThat(rules).filteredOn(r -> r.runbook() != null).isNotEmpty()
        .allSatisfy(r -> assertThat(runbooks).contains(r.runbook()));
    assertThat(rules).flatExtracting(RulesConfig.Rule::actions).isNotEmpty()
        .allSatisfy(a -> assertThat(actions).contains(a));
  }

  @Test
  void offersTheSeedsContingencyPlans() {
    List<Action> actions = ActionCatalog.fromConfig(config).actions();

    assertThat(actions).extracting(Action::name).containsExactly("simplified-site", "backup-payment-provider",
        "recommendations-off", "scale-out-web", "customer-message-delay");
    assertThat(actions).filteredOn(a -> a.name().equals("scale-out-web"))
        .allSatisfy(a -> assertThat(a.secondApprover()).isTrue());
  }

  @Test
  void everyTileOfTheBoardLoadsAndEachFamilyHasSome() {
    List<String> problems = new ArrayList<>();
    List<Tile> tiles = Tile.load(config, config.section("board", BoardConfig.class, BoardConfig.none()), problems::add);

    assertThat(problems).isEmpty();
    assertThat(tiles).extracting(Tile::family).containsAll(List.of(TileConfig.Family.values()));
    Set<String> ruleNames = rules().stream().map(RulesConfig.Rule::alert).collect(Collectors.toSet());
    assertThat(tiles).filteredOn(t -> t.config().rule() != null).isNotEmpty()
        .allSatisfy(t -> assertThat(ruleNames).contains(t.config().rule()));
  }

  @Test
  void theReportsMeasuresTrafficAndLimitsLoad() {
    List<String> problems = new ArrayList<>();
    ReportPlan plan = ReportPlan.load(config, problems::add);

    assertThat(problems).isEmpty();
    assertThat(plan.measures()).extracting(Measure::name).contains("Orders per hour", "Conversion", "Average order value");
    assertThat(plan.traffic()).isNotNull();
    assertThat(plan.limits()).extracting(ReportPlan.Limit::name).contains("Checkout latency p95");
  }

  private List<RulesConfig.Rule> rules() {
    List<RulesConfig.Group> groups = config.section("rules", RulesConfig.class, RulesConfig.none()).groups();
    List<RulesConfig.Rule> rules = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      for (int r = 0; r < groups.get(g).rules().size(); r++) {
        rules.add(config.bind(groups.get(g).rules().get(r), RulesConfig.Rule.class, "rules", "groups", g, "rules", r));
      }
    }
    return rules;
  }
}
