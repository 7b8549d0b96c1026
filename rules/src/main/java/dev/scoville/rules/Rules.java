package dev.scoville.rules;

import dev.scoville.core.ConfigFile;
import dev.scoville.core.Database;
import dev.scoville.core.SeriesReader;
import dev.scoville.rules.notify.DeliveryConfig;
import dev.scoville.rules.notify.HttpPagerDutyEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules module assembled: rules from the configuration evaluated over the series, incidents
 * in the database, notifications to PagerDuty and Slack through the outbox, following the
 * escalation policies.
 */
public final class Rules implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Rules.class);

  private final IncidentService incidents;
  private final SilenceService silences;
  private final RuleEvaluator evaluator;
  private final OutboxSender outbox;
  private final SlackMessages slack;
  private final List<String> problems;
  private final Database database;

  private Rules(IncidentService incidents, SilenceService silences, RuleEvaluator evaluator, OutboxSender outbox,
      SlackMessages slack, List<String> problems, Database database) {
    this.database = database;
    this.incidents = incidents;
    this.silences = silences;
    this.evaluator = evaluator;
    this.outbox = outbox;
    this.slack = slack;
    this.problems = problems;
  }

  /**
   * Loads the rules and starts evaluating them and sending notifications. A rule that fails to
   * load, or names an unknown escalation policy, is logged with its {@code file:line} and left out;
   * the others run. A policy that names an unknown receiver fails with its place in the file, as
   * does a bad matcher in the {@code inhibit_rules} section, which this binds from {@code config}.
   */
  public static Rules start(ConfigFile config, RulesConfig rulesConfig, PagerDutyConfig pagerDuty, SlackConfig slack,
      List<EscalationPolicy> policies, SeriesReader series, Database database, Clock clock) {
    EscalationPolicies escalation = EscalationPolicies.of(config, policies, pagerDuty, slack);
    RuleLoader loader = new RuleLoader(escalation::contains).loadConfigured(config, rulesConfig);
    List<String> problems = loader.problems();
    List<AlertRule> rules = loader.rules();
    problems.forEach(p -> LOG.error("Rule not loaded: {}", p));
    database.migrate("rules");
    Muting muting = Muting.of(config,
        List.of(config.section("inhibit_rules", InhibitRule[].class, new InhibitRule[0])));
    IncidentService incidents = new IncidentService(database, clock, escalation, muting);
    SilenceService silences = new SilenceService(database, incidents, clock);
    DeliveryConfig delivery = config.section("delivery", DeliveryConfig.class, DeliveryConfig.defaults());
    SlackMessages slackMessages =
        slack.enabled() ? new SlackMessages(slack, database, escalation, clock, delivery.timeout()) : null;
    OutboxSender outbox = new OutboxSender(database, incidents, new HttpPagerDutyEvents(pagerDuty, delivery.timeout()),
        slackMessages, clock, Duration.ofSeconds(1), delivery.threadsPerReceiver());
    incidents.onOutboxWrite(outbox::signal);
    Duration tick = rulesConfig.groups().stream().map(RulesConfig.Group::interval)
        .min(Comparator.naturalOrder()).orElse(Duration.ofSeconds(15));
    RuleEvaluator evaluator = new RuleEvaluator(rules, series, incidents, new AlertStateStore(database), clock, tick);
    outbox.start();
    evaluator.start();
    return new Rules(incidents, silences, evaluator, outbox, slackMessages, List.copyOf(problems), database);
  }

  /** Rules left out at load, as {@code file:line: reason}. */
  public List<String> problems() {
    return problems;
  }

  /**
   * What keeps this instance from being ready to page, empty when it is: the database answering
   * a write transaction, every configured rule loaded, the outbox moving.
   */
  public List<String> unreadiness() {
    List<String> reasons = new ArrayList<>();
    try {
      database.inTransaction(c -> {
        try (var st = c.createStatement()) {
          // A write that changes nothing: the database must take writes, not just answer reads.
          st.executeUpdate("UPDATE incident SET id = id WHERE 1 = 0");
        }
        return null;
      });
    } catch (RuntimeException e) {
      reasons.add("database: " + e.getMessage());
      return reasons;
    }
    if (!problems.isEmpty()) {
      reasons.add("rules: " + problems.size() + " not loaded: " + String.join("; ", problems));
    }
    outbox.stuck().ifPresent(reasons::add);
    return reasons;
  }

  public IncidentService incidents() {
    return incidents;
  }

  public SilenceService silences() {
    return silences;
  }

  /** The names of the loaded rules, in configuration order. */
  public List<String> ruleNames() {
    return evaluator.rules().stream().map(AlertRule::name).toList();
  }

  @Override
  public void close() {
    evaluator.close();
    outbox.close();
    if (slack != null) {
      slack.close();
    }
  }
}
