package dev.scoville.rules;

import dev.scoville.core.ConfigFile;
import dev.scoville.core.Database;
import dev.scoville.core.Sample;
import dev.scoville.core.SeriesReader;
import dev.scoville.core.ConfigException;
import dev.scoville.rules.notify.DeliveryConfig;
import dev.scoville.rules.notify.FallbackRoute;
import dev.scoville.rules.notify.HttpPagerDutyEvents;
import dev.scoville.rules.notify.HttpWebhooks;
import dev.scoville.rules.notify.PagerDutyConfig;
import dev.scoville.rules.notify.ReceiverStatus;
import dev.scoville.rules.notify.WebhookConfig;
import dev.scoville.rules.query.QueryConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules module assembled: rules from the configuration evaluated over the series, incidents
 * in the database, notifications to PagerDuty and Slack through the outbox, following the
 * escalation policies.
 */
public final class Rules implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Rules.class);

  /** How often the configuration and the rule files are checked for a change. */
  private static final Duration RELOAD_CHECK = Duration.ofSeconds(5);
  /** How often Scoville's alerts on itself are checked: Prometheus's default evaluation interval. */
  private static final Duration SELF_HEALTH_CHECK = Duration.ofSeconds(15);

  private final IncidentService incidents;
  private final SilenceService silences;
  private final RuleEvaluator evaluator;
  private final OutboxSender outbox;
  private final SlackMessages slack;
  private final List<String> problems;
  private final RuleFiles files;
  private final Database database;
  private final ScheduledExecutorService selfHealthChecks;

  private Rules(IncidentService incidents, SilenceService silences, RuleEvaluator evaluator, OutboxSender outbox,
      SlackMessages slack, List<String> problems, RuleFiles files, Database database,
      ScheduledExecutorService selfHealthChecks) {
    this.database = database;
    this.selfHealthChecks = selfHealthChecks;
    this.incidents = incidents;
    this.silences = silences;
    this.evaluator = evaluator;
    this.outbox = outbox;
    this.slack = slack;
    this.problems = problems;
    this.files = files;
  }

  /**
   * Loads the rules and starts evaluating them and sending notifications; recording rules hand
   * their samples to {@code recordedSeries} (the store's append). A rule that fails to
   * load, or names an unknown escalation policy, is logged with its {@code file:line} and left out;
   * the others run. A policy that names an unknown receiver fails with its place in the file, as
   * does a bad matcher in the {@code inhibit_rules} section, which this binds from {@code config}.
   */
  public static Rules start(ConfigFile config, RulesConfig rulesConfig, PagerDutyConfig pagerDuty, SlackConfig slack,
      List<EscalationPolicy> policies, SeriesReader series, Consumer<List<Sample>> recordedSeries, Database database,
      Clock clock) {
    List<WebhookConfig> webhooks = webhooks(config);
    Set<String> webhookNames = new HashSet<>();
    webhooks.forEach(w -> webhookNames.add(w.name()));
    EscalationPolicies escalation = EscalationPolicies.of(config, policies, pagerDuty, slack, webhookNames);
    DeliveryConfig delivery = config.section("delivery", DeliveryConfig.class, DeliveryConfig.defaults());
    List<FallbackRoute> fallbacks = fallbacks(config, delivery, pagerDuty, slack, webhookNames);
    RuleLoader loader = new RuleLoader(escalation::contains).loadConfigured(config, rulesConfig);
    List<String> problems = loader.problems();
    problems.forEach(p -> LOG.error("Rule not loaded: {}", p));
    database.migrate("rules");
    Muting muting = Muting.of(config,
        List.of(config.section("inhibit_rules", InhibitRule[].class, new InhibitRule[0])));
    IncidentService incidents = new IncidentService(database, clock, escalation, muting);
    SilenceService silences = new SilenceService(database, incidents, clock);
    SlackMessages slackMessages =
        slack.enabled() ? new SlackMessages(slack, database, escalation, clock, delivery.timeout()) : null;
    HttpWebhooks webhookSender =
        webhooks.isEmpty() ? null : new HttpWebhooks(webhooks, pagerDuty.consoleUrl(), delivery.timeout(), clock);
    OutboxSender outbox = new OutboxSender(database, incidents, new HttpPagerDutyEvents(pagerDuty, delivery.timeout()),
        slackMessages, webhookSender, clock, Duration.ofSeconds(1), delivery.threadsPerReceiver(), fallbacks,
        delivery.timeout());
    incidents.onOutboxWrite(outbox::signal);
    RuleEvaluator evaluator = new RuleEvaluator(loader.groups(), series, recordedSeries, incidents,
        sharesDatabase(config) ? AlertStateStore.NONE : new AlertStateStore(database), clock, QueryConfig.from(config));
    RuleFiles files = new RuleFiles(config, rulesConfig, escalation::contains, evaluator, problems);
    SelfHealthAlerts selfHealth =
        new SelfHealthAlerts(incidents, clock, outbox::receivers, outbox::oldestPending, files::problems);
    outbox.start();
    evaluator.start();
    files.watch(RELOAD_CHECK);
    ScheduledExecutorService selfHealthChecks = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "self-health");
      t.setDaemon(true);
      return t;
    });
    selfHealthChecks.scheduleWithFixedDelay(selfHealth::check, SELF_HEALTH_CHECK.toMillis(),
        SELF_HEALTH_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    return new Rules(incidents, silences, evaluator, outbox, slackMessages, List.copyOf(problems), files, database,
        selfHealthChecks);
  }

  /**
   * Whether several instances share the database: a {@code cluster} section (read by the
   * collector, which shares the targets) says so.
   */
  private static boolean sharesDatabase(ConfigFile config) {
    return config.section("cluster", Map.class, null) != null;
  }

  /** The {@code webhooks} section; fails naming the place of an entry that cannot be used. */
  private static List<WebhookConfig> webhooks(ConfigFile config) {
    List<WebhookConfig> webhooks = List.of(config.section("webhooks", WebhookConfig[].class, new WebhookConfig[0]));
    Set<String> names = new HashSet<>();
    for (int i = 0; i < webhooks.size(); i++) {
      WebhookConfig webhook = webhooks.get(i);
      String problem = webhook.problem();
      if (problem == null && !names.add(webhook.name())) {
        problem = "webhook " + webhook.name() + " is defined twice";
      }
      if (problem != null) {
        throw new ConfigException(config.place("webhooks", i) + ": " + problem);
      }
    }
    return webhooks;
  }

  /**
   * {@code delivery.fallbacks} with receivers named as the outbox names them ({@code slack}
   * becomes {@code slack:<its channel>}); fails naming the place of a route to or from nowhere.
   */
  private static List<FallbackRoute> fallbacks(ConfigFile config, DeliveryConfig delivery, PagerDutyConfig pagerDuty,
      SlackConfig slack, Set<String> webhooks) {
    List<FallbackRoute> routes = new ArrayList<>();
    Set<String> from = new HashSet<>();
    for (int i = 0; i < delivery.fallbacks().size(); i++) {
      FallbackRoute route = delivery.fallbacks().get(i);
      for (String field : List.of("receiver", "to")) {
        String receiver = field.equals("receiver") ? route.receiver() : route.to();
        String problem = receiver == null ? "a fallback route needs '" + field + "'"
            : EscalationPolicies.receiverProblem(receiver, pagerDuty, slack, webhooks);
        if (problem != null) {
          throw new ConfigException(config.place("delivery", "fallbacks", i, field) + ": " + problem);
        }
      }
      if (route.after().isNegative()) {
        throw new ConfigException(config.place("delivery", "fallbacks", i, "after") + ": must not be negative");
      }
      String receiver = EscalationPolicies.receiver(route.receiver(), slack).describe();
      String to = EscalationPolicies.receiver(route.to(), slack).describe();
      if (receiver.equals(to)) {
        throw new ConfigException(config.place("delivery", "fallbacks", i, "to") + ": " + receiver
            + " cannot be its own fallback");
      }
      if (!from.add(receiver)) {
        throw new ConfigException(config.place("delivery", "fallbacks", i, "receiver") + ": " + receiver
            + " has a fallback route already");
      }
      routes.add(new FallbackRoute(receiver, route.after(), to));
    }
    return routes;
  }

  /**
   * Every receiver that failed since its last success or has a fallback route: ok, failing since
   * when, or paging through its fallback. For the console and {@code GET /api/receivers}.
   */
  public List<ReceiverStatus> receivers() {
    return outbox.receivers();
  }

  /**
   * The expression of every alerting rule the configuration names, by rule, as written: what a
   * report off-line reads an action's effect with, without starting any rule.
   */
  public static Map<String, String> expressions(ConfigFile config, RulesConfig rulesConfig) {
    Map<String, String> expressions = new LinkedHashMap<>();
    new RuleLoader(policy -> true).loadConfigured(config, rulesConfig).rules()
        .forEach(rule -> expressions.put(rule.name(), rule.query().toString()));
    return expressions;
  }

  /**
   * Reads the configuration's {@code rules} section and the rule files again, as Prometheus's
   * {@code POST /-/reload} does: when everything loads, the new rules replace the old ones and
   * rules that stay keep their alerts' state; when anything fails, the previous rules stay and the
   * problems are returned (and logged) as {@code file:line:column: reason}.
   */
  public List<String> reload() {
    return files.reload();
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

  /** The expression of the rule named {@code rule}, as written. */
  public Optional<String> expression(String rule) {
    return evaluator.rules().stream().filter(r -> r.name().equals(rule)).findFirst().map(r -> r.query().toString());
  }

  /** The names of the loaded rules, in configuration order. */
  public List<String> ruleNames() {
    return evaluator.rules().stream().map(AlertRule::name).toList();
  }

  @Override
  public void close() {
    selfHealthChecks.shutdownNow();
    files.close();
    evaluator.close();
    // The sends under way record their outcomes through the incidents' committer: it closes last.
    outbox.close();
    incidents.close();
    if (slack != null) {
      slack.close();
    }
  }
}
