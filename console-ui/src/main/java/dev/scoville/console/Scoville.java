package dev.scoville.console;

import com.github.mvysny.vaadinboot.VaadinBoot;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoville.collector.events.BeaconRoutes;
import dev.scoville.collector.remotewrite.RemoteWriteRoutes;
import dev.scoville.collector.events.DerivedSeries;
import dev.scoville.collector.events.EventsConfig;
import dev.scoville.collector.events.KafkaEventSource;
import dev.scoville.collector.probe.ProbeRunner;
import dev.scoville.collector.probe.ProbesConfig;
import dev.scoville.collector.HistoryConfig;
import dev.scoville.collector.ScrapeConfig;
import dev.scoville.collector.ScrapeManager;
import dev.scoville.collector.cluster.ClusterConfig;
import dev.scoville.collector.cluster.Membership;
import dev.scoville.collector.SeriesHistory;
import dev.scoville.collector.SeriesStore;
import dev.scoville.console.board.BoardConfig;
import dev.scoville.console.board.Tile;
import dev.scoville.console.board.TileBoard;
import dev.scoville.contingency.ActionCatalog;
import dev.scoville.contingency.ActionService;
import dev.scoville.contingency.CustomerMessageChannel;
import dev.scoville.contingency.KillSwitches;
import dev.scoville.contingency.OfrepConfig;
import dev.scoville.contingency.OfrepRoutes;
import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import dev.scoville.core.Database;
import dev.scoville.reports.Feedback;
import dev.scoville.reports.FeedbackLog;
import dev.scoville.reports.FollowUps;
import dev.scoville.reports.ReportPlan;
import dev.scoville.reports.drills.DrillService;
import dev.scoville.reports.drills.DrillsConfig;
import dev.scoville.rules.EscalationPolicy;
import dev.scoville.rules.RuleReloadRoutes;
import dev.scoville.rules.Rules;
import dev.scoville.rules.RulesConfig;
import dev.scoville.rules.SlackAnnouncements;
import dev.scoville.rules.SlackConfig;
import dev.scoville.rules.SilenceRoutes;
import dev.scoville.rules.SlackInteractions;
import dev.scoville.rules.cluster.TimelineWatch;
import dev.scoville.rules.intake.AlertmanagerIntakeRoutes;
import dev.scoville.rules.intake.GrafanaIntakeRoutes;
import dev.scoville.rules.intake.IntakeConfig;
import dev.scoville.rules.notify.PagerDutyConfig;
import dev.scoville.rules.notify.ReceiverRoutes;
import dev.scoville.rules.query.QueryConfig;
import dev.scoville.rules.query.QueryRoutes;
import dev.scoville.runbooks.RunbookLibrary;
import dev.scoville.runbooks.RunbookLint;
import dev.scoville.shop.OfrepFlags;
import dev.scoville.shop.PagerDutySink;
import dev.scoville.shop.Scenario;
import dev.scoville.shop.ShopEvent;
import dev.scoville.shop.ShopServer;
import dev.scoville.shop.ShopSimulator;
import io.prometheus.client.hotspot.DefaultExports;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole application in one process: the API and ingest on Vert.x, the console on Vaadin in
 * embedded Jetty, and between them the collector, the rules and (for the demo) a simulated shop.
 */
public final class Scoville implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Scoville.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Object METRICS_ONCE = new Object();
  private static boolean jvmMetricsRegistered;
  /** Every top-level section some part of Scoville reads; any other stops the start. */
  static final Set<String> SECTIONS = Set.of("server", "database", "history", "users", "demo", "scrape", "rules",
      "events", "intake", "probes", "pagerduty", "slack", "escalation", "delivery", "webhooks", "inhibit_rules", "actions", "ofrep",
      "runbooks", "board", "reports", "query", "drills", "cluster");

  private final List<AutoCloseable> toClose;
  private final ConsoleConfig.Server server;
  private final Optional<PagerDutySink> sink;
  private final List<ConsoleConfig.User> users;
  private final Optional<ConsoleConfig.User> demoCommander;
  private final DrillService drills;

  private Scoville(List<AutoCloseable> toClose, ConsoleConfig.Server server, Optional<PagerDutySink> sink,
      List<ConsoleConfig.User> users, Optional<ConsoleConfig.User> demoCommander, DrillService drills) {
    this.toClose = toClose;
    this.drills = drills;
    this.server = server;
    this.sink = sink;
    this.users = users;
    this.demoCommander = demoCommander;
  }

  /** Starts everything the configuration asks for; fails fast, naming the place, on a bad file. */
  public static Scoville start(ConfigFile config) throws Exception {
    config.requireKnownSections(SECTIONS);
    ConsoleConfig.Server server = config.section("server", ConsoleConfig.Server.class, ConsoleConfig.Server.defaults());
    ConsoleConfig.DatabaseSettings databaseSettings =
        config.section("database", ConsoleConfig.DatabaseSettings.class, ConsoleConfig.DatabaseSettings.defaults());
    ConsoleConfig.Demo demo = config.section("demo", ConsoleConfig.Demo.class, ConsoleConfig.Demo.off());
    List<ConsoleConfig.User> users =
        new ArrayList<>(Arrays.asList(config.section("users", ConsoleConfig.User[].class, new ConsoleConfig.User[0])));
    ScrapeConfig scrape = config.section("scrape", ScrapeConfig.class, ScrapeConfig.none());
    HistoryConfig historyConfig = config.section("history", HistoryConfig.class, HistoryConfig.defaults());
    if (historyConfig.retention().compareTo(databaseSettings.retention()) < 0) {
      throw new ConfigException(config.place("history", "retention") + ": history.retention ("
          + historyConfig.retention() + ") must be at least database.retention (" + databaseSettings.retention()
          + "), or a restart could not refill the store");
    }
    RulesConfig rulesConfig = config.section("rules", RulesConfig.class, RulesConfig.none());
    EventsConfig events = EventsConfig.from(config);
    ClusterConfig cluster = ClusterConfig.from(config);
    IntakeConfig intake = config.section("intake", IntakeConfig.class, IntakeConfig.none());
    ProbesConfig probes = config.section("probes", ProbesConfig.class, ProbesConfig.none());
    PagerDutyConfig pagerDuty = config.section("pagerduty", PagerDutyConfig.class, new PagerDutyConfig(null, null, null, null));
    ActionCatalog catalog = ActionCatalog.fromConfig(config);
    BoardConfig board = config.section("board", BoardConfig.class, BoardConfig.none());
    List<Tile> tiles = Tile.load(config, board, problem -> LOG.error("Tile not shown: {}", problem));
    ReportPlan reportPlan = ReportPlan.load(config, problem -> LOG.error("Left out of the post-peak report: {}", problem));
    SlackConfig slackSection = config.section("slack", SlackConfig.class, SlackConfig.none());
    List<EscalationPolicy> policies =
        Arrays.asList(config.section("escalation", EscalationPolicy[].class, new EscalationPolicy[0]));
    ConfigChecks.check(config, pagerDuty, slackSection, policies);
    DrillsConfig drills = DrillsConfig.fromConfig(config);
    if (drills.escalation() != null && !drills.escalation().equals("default")
        && policies.stream().noneMatch(p -> drills.escalation().equals(p.name()))) {
      throw new ConfigException(config.place("drills", "escalation") + ": no escalation policy '"
          + drills.escalation() + "' in the escalation section");
    }
    if (server.tls() != null) {
      ConsoleTls.check(server.tls());
    }
    registerJvmMetrics();

    List<AutoCloseable> toClose = new ArrayList<>();
    try {
      Clock clock = Clock.systemUTC();
      Optional<PagerDutySink> sink = Optional.empty();
      Optional<ShopSimulator> demoShop = Optional.empty();
      Optional<ConsoleConfig.User> demoCommander = Optional.empty();
      DrillsConfig drillSettings = drills;
      if (demo.enabled()) {
        Scenario scenario = new Scenario(demo.baseline(), demo.peak(), demo.fault());
        ShopSimulator simulator = new ShopSimulator(scenario, demo.baselineVisitsPerSecond(), clock, System.nanoTime());
        demoShop = Optional.of(simulator);
        ShopServer shop = ShopServer.start(simulator, 0);
        toClose.add(shop);
        scrape = scrape.withJob(ScrapeConfig.Job.of("shop", List.of(shop.metricsUri())));
        // Its own /metrics too, for the sign-in guessing rule the demo ships.
        scrape = scrape.withJob(ScrapeConfig.Job.of("scoville", List.of(URI.create(server.apiUrl()).resolve("metrics"))));
        probes = probes.withStatusPage(new ProbesConfig.StatusPage("card-gateway", shop.statusPageUri()));
        if (drills.shop() == null) {
          drillSettings = drills.withShop(shop.baseUri());
        }
        if (pagerDuty.eventsUrl() == null) {
          PagerDutySink started = PagerDutySink.start(0);
          toClose.add(started);
          sink = Optional.of(started);
          pagerDuty = pagerDuty.withEventsUrl(started.eventsUri());
        }
        if (users.isEmpty()) {
          demoCommander = Optional.of(Users.demoCommander());
          users.add(demoCommander.get());
        }
      }
      if (pagerDuty.eventsUrl() == null || pagerDuty.routingKey() == null) {
        throw new ConfigException(config.place("pagerduty")
            + ": pagerduty.eventsUrl and pagerduty.routingKey are required (or enable the demo)");
      }
      pagerDuty = pagerDuty.withConsoleUrl(URI.create(server.consoleUrl()));

      Database database =
          Database.open(databaseSettings.url(), databaseSettings.user(), databaseSettings.password());
      toClose.add(0, database);
      SeriesStore store = new SeriesStore(databaseSettings.retention(), clock);
      database.migrate("collector");
      database.migrate("reports");
      SeriesHistory history = new SeriesHistory(store, database, clock, historyConfig.retention());
      // An instance of several does not refill its store from the history: the history holds every
      // instance's series, and its rules would fire and resolve on the targets others scrape.
      history.restore(cluster == null ? databaseSettings.retention() : Duration.ZERO);
      Vertx vertx = Vertx.vertx();
      toClose.add(0, () -> vertx.close().await());
      ScrapeManager scrapes = new ScrapeManager(vertx, store, clock, scrape);
      toClose.add(0, scrapes);
      if (cluster != null) {
        // Nothing until the membership group assigns this instance its slots.
        scrapes.scrapeOnly((job, url) -> false);
      }
      ProbeRunner probeRunner = new ProbeRunner(vertx, store, clock, probes);
      toClose.add(0, probeRunner);
      DerivedSeries derived = new DerivedSeries(store, clock, events);
      derived.start(vertx);
      toClose.add(0, derived::stop);
      // Feedback is kept with its comments for the post-peak report of any window; the series keep only the mean.
      FeedbackLog feedback = new FeedbackLog(database, clock, historyConfig.retention());
      feedback.start();
      toClose.add(0, feedback);
      derived.onFeedback(f -> feedback.add(new Feedback(Instant.ofEpochMilli(f.timeMillis()), f.shop(), f.score(),
          f.page(), f.topic(), f.comment())));
      // The demo shop's business and UX events go straight in, as a beacon or Kafka would bring them.
      demoShop.ifPresent(shop -> shop.onEvent(event -> derived.accept(List.of(json(event)), "demo")));
      if (events.kafkaEnabled()) {
        KafkaEventSource kafka = new KafkaEventSource(derived, events.kafka());
        kafka.start().onFailure(e -> LOG.error("Kafka events not consumed: {}", e.getMessage()));
        toClose.add(0, () -> kafka.stop().await(10, TimeUnit.SECONDS));
      }
      SlackConfig slack = slackSection.withConsoleUrl(URI.create(server.consoleUrl()));
      Rules rules = Rules.start(config, rulesConfig, pagerDuty, slack, policies, store, store::append, database, clock);
      toClose.add(0, rules);
      KillSwitches killSwitches = KillSwitches.open(database, catalog);
      CustomerMessageChannel customerChannel;
      if (slack.enabled() && slack.channel() != null) {
        SlackAnnouncements announcements = new SlackAnnouncements(slack);
        toClose.add(0, announcements);
        customerChannel = (headline, message, incident) -> announcements.post(headline, message);
      } else {
        // Without Slack the message still gets its status-page draft and its audit entry.
        customerChannel = (headline, message, incident) -> {
          LOG.info("Customer message for incident {} (no Slack channel configured): {} — {}", incident, headline, message);
          return "console";
        };
      }
      ActionService actionService = new ActionService(catalog, killSwitches, database, customerChannel, clock);
      toClose.add(0, actionService);
      RunbookLibrary runbooks = RunbookLibrary.fromConfig(config);
      toClose.add(0, runbooks);
      RunbookLint.lint(runbooks, Set.copyOf(rules.ruleNames()), catalog.names())
          .forEach(problem -> LOG.warn("Runbook problem: {}", problem));

      ConsoleFeed feed = new ConsoleFeed();
      ConsoleActions actions = new ConsoleActions(actionService, killSwitches, runbooks, feed);
      DrillService drillService = new DrillService(drillSettings, rules.incidents(), () -> actionService.auditLog(500),
          actions::stepsCarriedOut, database, clock);
      toClose.add(0, drillService);
      drillService.startChecking();
      rules.incidents().subscribe(incident -> feed.changed());
      if (cluster != null) {
        toClose.add(0, TimelineWatch.start(database, Duration.ofSeconds(1), feed::changed));
      }
      Users knownUsers = new Users(users);
      // The demo's generated commander is plaintext by design: it lives as long as the process.
      Set<String> generated = demoCommander.map(d -> Set.of(d.name())).orElse(Set.of());
      List<String> plaintext = knownUsers.withPlaintextPasswords().stream().filter(n -> !generated.contains(n)).toList();
      if (!plaintext.isEmpty()) {
        LOG.warn("Plaintext passwords in the configuration for {}: write bcrypt hashes instead"
            + " (java -cp scoville.jar dev.scoville.console.HashPassword)", String.join(", ", plaintext));
      }
      SignIn signIn = new SignIn(knownUsers, clock);
      ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "console-worker");
        t.setDaemon(true);
        return t;
      });
      toClose.add(0, workers::shutdownNow);
      AutomaticActions automatic = new AutomaticActions(catalog, actionService, workers);
      rules.incidents().subscribe(automatic::incidentChanged);

      Router router = Router.router(vertx);
      SecurityHeaders.of(server).mount(router);
      // Before the API's sign-in: browsers authenticate beacons with the beacon token.
      if (events.beaconEnabled()) {
        new BeaconRoutes(derived, events.beacon()).mount(router);
      }
      // Alertmanager and Grafana sign with the intake token, not a console user: before ApiRoutes.
      new AlertmanagerIntakeRoutes(vertx, rules.incidents(), intake, clock).mount(router);
      new GrafanaIntakeRoutes(vertx, rules.incidents(), intake, clock).mount(router);
      new ApiRoutes(vertx, rules.incidents(), scrapes::health, signIn, rules::unreadiness).mount(router);
      new DrillRoutes(vertx, drillService).mount(router);
      new SilenceRoutes(vertx, rules.silences(), clock, ApiRoutes::signedIn).mount(router);
      new QueryRoutes(vertx, store, clock, QueryConfig.from(config)).mount(router);
      new RemoteWriteRoutes(vertx, store).mount(router);
      new RuleReloadRoutes(vertx, rules).mount(router);
      new ReceiverRoutes(rules::receivers).mount(router);
      if (slack.enabled()) {
        new SlackInteractions(vertx, rules.incidents(), slack, clock).mount(router);
      }
      // Without kill switches there is nothing to serve, and no token to ask for.
      Optional<OfrepConfig> ofrep = killSwitches.flags().isEmpty() ? Optional.empty() : Optional.of(OfrepConfig.fromConfig(config));
      ofrep.ifPresent(settings -> new OfrepRoutes(killSwitches, settings.token()).mount(router));
      if (demo.enabled()) {
        DemoScaleRoutes.mount(router);
      }
      HttpServer api = vertx.createHttpServer(ConsoleTls.apiOptions(server)).requestHandler(router).listen(server.apiPort(), server.host()).await();
      toClose.add(0, () -> api.close().await());
      if (demoShop.isPresent() && ofrep.isPresent()) {
        // The demo shop obeys its kill switches as a real one would: over OFREP, from the API.
        URI flags = URI.create(server.apiUrl()).resolve("ofrep/v1/evaluate/flags");
        toClose.add(0, OfrepFlags.poll(flags, ofrep.get().token(), Duration.ofSeconds(2), demoShop.get()::useFlags));
      }
      // Samples go to the database's history before retention forgets them.
      vertx.setPeriodic(60_000, id -> vertx.executeBlocking(() -> {
        history.upkeep();
        return null;
      }));
      scrapes.start();
      if (cluster != null) {
        // Closed before the scrapes: leaving the group hands this instance's targets over at once.
        toClose.add(0, Membership.join(cluster, membership -> scrapes.scrapeOnly(membership::owns)));
      }
      probeRunner.start();

      BoardFeed boardFeed = new BoardFeed(new TileBoard(tiles, store, board.window(), board.staleAfter()),
          rules.incidents(), actions, scrapes::health, rules::receivers, clock);
      boardFeed.start(feed, store);
      toClose.add(0, boardFeed);
      ConsoleServices.install(new ConsoleServices(rules.incidents(), signIn, feed, boardFeed, tiles, workers, actions,
          store, history::reader, clock, rules::expression, reportPlan, new FollowUps(database, clock), feedback,
          drillService));
      ConsoleServletSetup.use(server);
      VaadinBoot ui = ConsoleTls.vaadinBoot(server);
      ui.start();
      toClose.add(0, () -> ui.stop("Scoville is stopping"));
      return new Scoville(toClose, server, sink, List.copyOf(users), demoCommander, drillService);
    } catch (Exception | Error e) {
      closeAll(toClose);
      throw e;
    }
  }

  private static byte[] json(ShopEvent event) {
    try {
      return JSON.writeValueAsBytes(event.asJsonObject());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a shop event that Jackson cannot write: " + event, e);
    }
  }

  private static void registerJvmMetrics() {
    synchronized (METRICS_ONCE) {
      if (!jvmMetricsRegistered) {
        DefaultExports.initialize();
        jvmMetricsRegistered = true;
      }
    }
  }

  public URI consoleUrl() {
    return URI.create(server.consoleUrl());
  }

  public URI apiUrl() {
    return URI.create(server.apiUrl());
  }

  /** The demo's PagerDuty stand-in, when the demo runs one. */
  public Optional<PagerDutySink> pagerDutySink() {
    return sink;
  }

  DrillService drills() {
    return drills;
  }

  List<ConsoleConfig.User> users() {
    return users;
  }

  /** The commander the demo made up because the configuration names nobody. */
  Optional<ConsoleConfig.User> demoCommander() {
    return demoCommander;
  }

  @Override
  public void close() {
    closeAll(toClose);
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        System.err.println("While stopping: " + e);
      }
    }
  }
}
