package dev.scoville.reports.drills;

import dev.scoville.contingency.ActionRun;
import dev.scoville.contingency.Actor;
import dev.scoville.core.Database;
import dev.scoville.core.PrometheusDuration;
import dev.scoville.rules.Incident;
import dev.scoville.rules.IncidentService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs drills against the live pipeline: asks the shop to play a scenario, marks the incidents
 * opened meanwhile as the drill's (see {@link IncidentService#markDrills}), and watches them
 * and the actions run to record the times to detect, acknowledge, mitigate and recover, scoring
 * them against {@code drills.targets}. Nothing downstream is faked: the collector scrapes the
 * shop, rules fire, notifications go through the outbox. One drill runs at a time.
 *
 * <p>Every public method blocks (database, the shop's HTTP): call them on worker threads.
 */
public final class DrillService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DrillService.class);
  private static final Duration CHECK_EVERY = Duration.ofSeconds(1);

  private final DrillsConfig config;
  private final IncidentService incidents;
  private final Supplier<List<ActionRun>> actionRuns;
  private final RunbookSteps runbookSteps;
  private final DrillStore store;
  private final Optional<ShopScenarioClient> shop;
  private final Clock clock;
  private final Set<Long> drillIncidents = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "drills");
    t.setDaemon(true);
    return t;
  });
  private volatile DrillReport running;

  /**
   * {@code actionRuns} gives the newest audit entries (e.g. {@code () -> actions.auditLog(500)});
   * {@code runbookSteps} says which runbook step an action carries out; a drill still running when
   * Scoville last stopped is taken up again.
   */
  public DrillService(DrillsConfig config, IncidentService incidents, Supplier<List<ActionRun>> actionRuns,
      RunbookSteps runbookSteps, Database database, Clock clock) {
    this.config = config;
    this.incidents = incidents;
    this.actionRuns = actionRuns;
    this.runbookSteps = runbookSteps;
    this.store = new DrillStore(database);
    this.shop = Optional.ofNullable(config.shop()).map(ShopScenarioClient::new);
    this.clock = clock;
    store.running().ifPresent(drill -> {
      running = drill;
      drillIncidents.addAll(drill.incidents());
      incidents.markDrills(marking(drill));
    });
    incidents.subscribe(this::incidentChanged);
  }

  /** Checks the running drill every second until closed. */
  public void startChecking() {
    checker.scheduleWithFixedDelay(() -> {
      try {
        check();
      } catch (RuntimeException e) {
        LOG.warn("Drill check failed: {}", e.toString());
      }
    }, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The scenarios the shop offers. */
  public List<ShopScenarioClient.Scenario> scenarios() {
    return shop().scenarios();
  }

  /**
   * Starts {@code scenario} in the shop, {@code speed} times faster than written (null: {@code
   * drills.speed}), for a commander. Refused, saying why, for anyone else, while another drill
   * runs, or when the shop refuses; a refusal by the shop is recorded as a stopped drill.
   */
  public synchronized DrillReport start(String scenario, Double speed, Actor actor) {
    if (!actor.role().covers(Actor.Role.COMMANDER)) {
      throw new DrillException(DrillException.Refusal.NOT_A_COMMANDER,
          "only a commander starts a drill; " + actor.name() + " is a " + actor.role().word());
    }
    if (scenario == null || scenario.isBlank()) {
      throw new DrillException(DrillException.Refusal.BAD_REQUEST, "scenario: name the scenario to play");
    }
    DrillReport current = running;
    if (current != null) {
      throw new DrillException(DrillException.Refusal.CONFLICT,
          "drill " + current.id() + " (" + current.scenario() + ") is still running: stop it first");
    }
    if (speed != null && !(speed >= 1 && speed <= 3600)) {
      throw new DrillException(DrillException.Refusal.BAD_REQUEST, "speed must be from 1 to 3600, not " + speed);
    }
    ShopScenarioClient client = shop();
    double pace = speed == null ? config.speed() : speed;
    Instant now = clock.instant();
    DrillReport drill = store.insert(scenario, pace, actor.name(), now, now, config.targets());
    // Marked before the fault starts, so that even the fastest incident is the drill's.
    drillIncidents.clear();
    running = drill;
    incidents.markDrills(marking(drill));
    ShopScenarioClient.Started started;
    try {
      started = client.start(scenario, pace);
    } catch (RuntimeException e) {
      incidents.stopMarkingDrills();
      running = null;
      store.update(with(drill, DrillReport.State.STOPPED, clock.instant(), "the shop refused: " + e.getMessage()));
      throw e;
    }
    Instant endsAt = now.plus(Duration.between(started.startedAt(), started.endsAt()));
    running = store.update(new DrillReport(drill.id(), scenario, pace, actor.name(), now, endsAt,
        DrillReport.State.RUNNING, null, null, null, null, null, null, drill.targets(), List.of(), List.of(), List.of(),
        List.of()));
    LOG.info("Drill {} started by {}: {} at speed {}, until {}", drill.id(), actor.name(), scenario, pace, endsAt);
    return running;
  }

  /** Stops the running drill {@code id} for a commander: the shop stops its scenario. */
  public synchronized DrillReport stop(long id, Actor actor) {
    if (!actor.role().covers(Actor.Role.COMMANDER)) {
      throw new DrillException(DrillException.Refusal.NOT_A_COMMANDER,
          "only a commander stops a drill; " + actor.name() + " is a " + actor.role().word());
    }
    DrillReport drill = running;
    if (drill == null || drill.id() != id) {
      throw new DrillException(DrillException.Refusal.CONFLICT, "drill " + id + " is not running");
    }
    String outcome = "stopped by " + actor.name();
    try {
      shop().stop();
    } catch (DrillException e) {
      outcome += " (the shop's scenario may still play: " + e.getMessage() + ")";
    }
    return finish(measure(drill), DrillReport.State.STOPPED, outcome);
  }

  /**
   * Takes the running drill's measurements, and ends it once its scenario is over and its
   * incidents are resolved, or {@code drills.timeout} after its scenario ended.
   */
  public synchronized Optional<DrillReport> check() {
    DrillReport drill = running;
    if (drill == null) {
      return Optional.empty();
    }
    DrillReport measured = measure(drill);
    Instant now = clock.instant();
    boolean scenarioOver = !now.isBefore(drill.scenarioEndsAt());
    if (scenarioOver && measured.recoveredAt() != null) {
      return Optional.of(finish(measured, DrillReport.State.FINISHED, "recovered "
          + format(measured.timeToRecover().orElseThrow()) + " after the start"));
    }
    if (!now.isBefore(drill.scenarioEndsAt().plus(config.timeout()))) {
      String why = measured.incidents().isEmpty() ? "no incident opened" : "incidents still open";
      return Optional.of(finish(measured, DrillReport.State.TIMED_OUT, why + " "
          + format(config.timeout()) + " after the scenario ended"));
    }
    if (!measured.equals(drill)) {
      running = store.update(measured);
    }
    return Optional.of(running);
  }

  public Optional<DrillReport> running() {
    return Optional.ofNullable(running);
  }

  /** The newest drills, newest first. */
  public List<DrillReport> recent(int limit) {
    return store.recent(limit);
  }

  public Optional<DrillReport> report(long id) {
    return store.find(id);
  }

  /** Drill {@code id} beside the earlier runs of its scenario. */
  public Optional<DrillComparison> compare(long id) {
    return store.find(id).map(drill -> {
      List<DrillReport> runs = store.runsOf(drill.scenario(), id);
      return new DrillComparison(drill, runs.subList(1, runs.size()));
    });
  }

  private void incidentChanged(Incident incident) {
    DrillReport drill = running;
    // An earlier drill's incident changing now (acknowledged late, resolved) is not this one's.
    if (drill != null && incident.isDrill() && !incident.openedAt().isBefore(drill.startedAt())) {
      drillIncidents.add(incident.id());
    }
  }

  /** The drill with its incidents' and actions' moments as they stand now. */
  private DrillReport measure(DrillReport drill) {
    List<Incident> opened = drillIncidents.stream().sorted().map(incidents::find).flatMap(Optional::stream).toList();
    Instant detected = earliest(opened.stream().map(Incident::openedAt).toList());
    Instant acknowledged = earliest(opened.stream().map(Incident::acknowledgedAt).toList());
    boolean allResolved = !opened.isEmpty() && opened.stream().noneMatch(Incident::isOpen);
    Instant recovered = allResolved ? opened.stream().map(Incident::resolvedAt).max(Comparator.naturalOrder()).orElseThrow()
        : null;
    Set<String> ids = Set.copyOf(opened.stream().map(i -> String.valueOf(i.id())).toList());
    // Runs for the drill's incidents, and runs for no incident in particular while it lasted.
    List<ActionRun> runs = actionRuns.get().stream()
        .filter(r -> r.kind() == ActionRun.Kind.RUN && !r.dryRun() && !r.requestedAt().isBefore(drill.startedAt()))
        .filter(r -> r.incidentId() == null || ids.contains(r.incidentId()))
        .sorted(Comparator.comparing(ActionRun::requestedAt)).toList();
    Instant mitigated = earliest(runs.stream().filter(r -> r.outcome() == ActionRun.Outcome.SUCCEEDED)
        .map(ActionRun::finishedAt).toList());
    List<String> actions = runs.stream().map(r -> r.action() + " by " + r.requestedBy() + " at "
        + r.requestedAt().truncatedTo(ChronoUnit.SECONDS) + " (" + r.outcome().name().toLowerCase() + ")").toList();
    List<String> runbooks = opened.stream().map(Incident::runbook).filter(Objects::nonNull).distinct().toList();
    return new DrillReport(drill.id(), drill.scenario(), drill.speed(), drill.startedBy(), drill.startedAt(),
        drill.scenarioEndsAt(), drill.state(), drill.finishedAt(), drill.outcome(), detected, acknowledged, mitigated,
        recovered, drill.targets(), opened.stream().map(Incident::id).toList(), runbooks, steps(runs, opened),
        actions);
  }

  /**
   * The runbook steps the runs carried out, in the order first used: a run for an incident carries
   * out the steps of that incident's runbooks that link its action; a run for no incident, those of
   * every drill incident's runbooks. Refused runs carried out nothing.
   */
  private List<String> steps(List<ActionRun> runs, List<Incident> opened) {
    Set<String> steps = new LinkedHashSet<>();
    for (ActionRun run : runs) {
      if (run.outcome() == ActionRun.Outcome.REFUSED) {
        continue;
      }
      List<Incident> forRun = run.incidentId() == null ? opened
          : opened.stream().filter(i -> String.valueOf(i.id()).equals(run.incidentId())).toList();
      forRun.forEach(i -> steps.addAll(runbookSteps.carriedOutBy(i, run.action())));
    }
    return List.copyOf(steps);
  }

  private DrillReport finish(DrillReport measured, DrillReport.State state, String outcome) {
    incidents.stopMarkingDrills();
    running = null;
    DrillReport done = store.update(with(measured, state, clock.instant(), outcome));
    LOG.info("Drill {} ({}) {}: {}; score {}", done.id(), done.scenario(), state.name().toLowerCase(), outcome,
        done.score());
    return done;
  }

  private ShopScenarioClient shop() {
    return shop.orElseThrow(() -> new DrillException(DrillException.Refusal.SHOP,
        "no shop to drill: set drills.shop to the shop's base URL"));
  }

  private IncidentService.DrillMarking marking(DrillReport drill) {
    return new IncidentService.DrillMarking(drill.scenario() + " (drill " + drill.id() + ")", config.escalation());
  }

  private static DrillReport with(DrillReport d, DrillReport.State state, Instant finishedAt, String outcome) {
    return new DrillReport(d.id(), d.scenario(), d.speed(), d.startedBy(), d.startedAt(), d.scenarioEndsAt(), state,
        finishedAt, outcome, d.detectedAt(), d.acknowledgedAt(), d.mitigatedAt(), d.recoveredAt(), d.targets(),
        d.incidents(), d.runbooks(), d.steps(), d.actions());
  }

  private static Instant earliest(List<Instant> moments) {
    return moments.stream().filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(null);
  }

  static String format(Duration d) {
    return PrometheusDuration.format(d.truncatedTo(ChronoUnit.SECONDS).isZero() ? d.truncatedTo(ChronoUnit.MILLIS)
        : d.truncatedTo(ChronoUnit.SECONDS));
  }

  @Override
  public void close() {
    checker.shutdownNow();
  }
}
