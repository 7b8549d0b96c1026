package dev.scoville.console;

import dev.scoville.contingency.Action;
import dev.scoville.contingency.ActionRequest;
import dev.scoville.contingency.ActionRun;
import dev.scoville.contingency.ActionService;
import dev.scoville.contingency.KillSwitches;
import dev.scoville.contingency.StatusPageDraft;
import dev.scoville.rules.Incident;
import dev.scoville.runbooks.Runbook;
import dev.scoville.runbooks.RunbookLibrary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the console does with actions for a signed-in person: the runbooks and actions suggested
 * for an incident, previews, runs, approvals and rollbacks. Rules know runbooks only by name; this
 * is where they meet. Every method blocks (database, HTTP): call it on a console worker.
 */
final class ConsoleActions {
  private static final int AUDIT_WINDOW = 200;

  private final ActionService service;
  private final KillSwitches killSwitches;
  private final RunbookLibrary runbooks;
  private final ConsoleFeed feed;

  ConsoleActions(ActionService service, KillSwitches killSwitches, RunbookLibrary runbooks, ConsoleFeed feed) {
    this.service = service;
    this.killSwitches = killSwitches;
    this.runbooks = runbooks;
    this.feed = feed;
  }

  /**
   * What the console offers beside an incident: its runbooks and the catalog actions suggested.
   *
   * @param runbookUrl the rule's runbook when it is a link to elsewhere
   */
  record Guide(List<Runbook> runbooks, List<Action> actions, Optional<String> runbookUrl) {}

  /**
   * The rule's own {@code runbook} and {@code actions} first, then every runbook whose front matter
   * names the rule, with the actions those suggest.
   */
  Guide guide(Incident incident) {
    String named = incident.runbook();
    boolean link = named != null && (named.startsWith("https://") || named.startsWith("http://"));
    Set<Runbook> linked = new LinkedHashSet<>();
    if (named != null && !link) {
      runbook(named).ifPresent(linked::add);
    }
    linked.addAll(runbooks.forRule(incident.rule()));
    Set<String> names = new LinkedHashSet<>(incident.actions());
    for (Runbook r : linked) {
      names.addAll(r.actions());
      r.references().stream().filter(ref -> ref.kind() == Runbook.Kind.ACTION_LINK).forEach(ref -> names.add(ref.name()));
    }
    // a runbook naming an action the catalog lacks is the lint's to report, not a dead button's
    List<Action> actions = names.stream().flatMap(n -> service.catalog().find(n).stream()).toList();
    return new Guide(List.copyOf(linked), actions, link ? Optional.of(named) : Optional.empty());
  }

  /**
   * The steps of the incident's runbooks (those {@link #guide} shows beside it) whose text links
   * {@code action}, as {@code <runbook title> › <step>}: what running it carries out.
   */
  List<String> stepsCarriedOut(Incident incident, String action) {
    return guide(incident).runbooks().stream()
        .flatMap(r -> r.stepsRunning(action).stream().map(step -> r.title() + " › " + step.title())).toList();
  }

  /** The runbook a rule names: its file name without {@code .md}. */
  Optional<Runbook> runbook(String name) {
    return runbooks.runbooks().stream().filter(r -> name(r).equals(name)).findFirst();
  }

  static String name(Runbook runbook) {
    String source = runbook.source();
    String file = source.substring(Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\')) + 1);
    return file.endsWith(".md") ? file.substring(0, file.length() - 3) : file;
  }

  List<Action> catalog() {
    return service.catalog().actions();
  }

  List<KillSwitches.Flag> flags() {
    return killSwitches.flags();
  }

  /** What running {@code action} for the incident would send; audited as a dry run. */
  ActionRun preview(String action, Map<String, String> parameters, Incident incident, Users.Person person) {
    return service.request(request(action, parameters, incident, person, null).asDryRun());
  }

  /**
   * Runs {@code action} for the incident. The key belongs to one confirmation, so a double click
   * or a retried request returns the first run instead of running twice.
   */
  ActionRun run(String action, Map<String, String> parameters, Incident incident, Users.Person person,
      String idempotencyKey) {
    return changed(service.request(request(action, parameters, incident, person, idempotencyKey)));
  }

  ActionRun approve(long runId, Users.Person person) {
    return changed(service.approve(runId, person.actor()));
  }

  ActionRun rollback(long runId, Users.Person person) {
    return changed(service.rollback(runId, person.actor()));
  }

  /** Whether {@code run} can still be undone: a real, successful, reversible run not undone yet. */
  boolean canRollBack(ActionRun run) {
    return run.kind() == ActionRun.Kind.RUN && !run.dryRun() && run.outcome() == ActionRun.Outcome.SUCCEEDED
        && run.rolledBackBy() == null && service.catalog().find(run.action()).map(Action::reversible).orElse(false);
  }

  /** What was done for one incident, refused attempts included, newest first; previews are left out. */
  List<ActionRun> forIncident(long incidentId) {
    String id = String.valueOf(incidentId);
    return service.auditLog(AUDIT_WINDOW).stream().filter(r -> !r.dryRun() && id.equals(r.incidentId())).toList();
  }

  /** Runs waiting for a second commander, newest first. */
  List<ActionRun> awaitingApproval() {
    return awaitingApproval(service.auditLog(AUDIT_WINDOW));
  }

  private static List<ActionRun> awaitingApproval(List<ActionRun> log) {
    return log.stream()
        .filter(r -> r.kind() == ActionRun.Kind.RUN && r.outcome() == ActionRun.Outcome.AWAITING_APPROVAL)
        .toList();
  }

  /** What the board asks a decision on: runs awaiting approval and kill switches left switched. */
  record Decisions(List<ActionRun> awaitingApproval, List<SwitchReminder> reminders) {}

  /** The board's decisions, read from one pass over the audit log. */
  Decisions decisions(Predicate<String> incidentOpen) {
    List<ActionRun> log = service.auditLog(AUDIT_WINDOW);
    return new Decisions(awaitingApproval(log), switchedAfterIncidents(log, incidentOpen));
  }

  /**
   * A kill switch still switched although the incident it was switched for is no longer open (or
   * it was switched without one): someone should decide whether to roll it back.
   */
  record SwitchReminder(String flag, String action, String title, long runId, String switchedBy, Instant at,
      String incidentId) {}

  /** Switched kill switches whose last run's incident is not open, in catalog order. */
  private List<SwitchReminder> switchedAfterIncidents(List<ActionRun> log, Predicate<String> incidentOpen) {
    List<SwitchReminder> reminders = new ArrayList<>();
    for (KillSwitches.Flag flag : killSwitches.flags()) {
      if (!flag.switched()) {
        continue;
      }
      log.stream()
          .filter(r -> r.kind() == ActionRun.Kind.RUN && !r.dryRun() && r.outcome() == ActionRun.Outcome.SUCCEEDED
              && r.rolledBackBy() == null && switches(r.action(), flag.key()))
          .findFirst()
          .filter(r -> r.incidentId() == null || !incidentOpen.test(r.incidentId()))
          .ifPresent(r -> reminders.add(new SwitchReminder(flag.key(), r.action(),
              service.catalog().find(r.action()).map(Action::title).orElse(r.action()), r.id(), r.requestedBy(),
              r.finishedAt() == null ? r.requestedAt() : r.finishedAt(), r.incidentId())));
    }
    return reminders;
  }

  /** Whether {@code action} is already in effect: a kill switch whose flag serves the action's value. */
  boolean inEffect(Action action) {
    return action.kind() instanceof Action.KillSwitch ks
        && killSwitches.flag(ks.flag()).map(f -> f.value().equals(ks.value())).orElse(false);
  }

  /** What rolling back {@code run} would send, in words, for the confirmation. */
  String rollbackPreview(ActionRun run) {
    Optional<Action> found = service.catalog().find(run.action());
    if (found.isEmpty()) {
      return "Nothing: the action is no longer in the catalog.";
    }
    Action.Kind kind = found.get().kind();
    if (kind instanceof Action.KillSwitch ks) {
      return "Kill switch '" + ks.flag() + "' goes back to " + ks.off() + " (it serves "
          + killSwitches.flag(ks.flag()).map(f -> f.value().toString()).orElse("?") + " now). The shop reads it within seconds.";
    }
    Optional<Action.HttpCall> call = kind instanceof Action.Http http ? http.rollback()
        : kind instanceof Action.ScaleOut scale ? scale.rollback() : Optional.empty();
    return call.map(ConsoleActions::describe).orElse("Nothing: this action cannot be undone.");
  }

  private static String describe(Action.HttpCall call) {
    return call.method() + " " + call.url() + (call.body() == null || call.body().isNull() ? "" : "\n" + call.body().toPrettyString());
  }

  List<StatusPageDraft> statusPageDrafts() {
    return service.statusPageDrafts();
  }

  private boolean switches(String actionName, String flag) {
    return service.catalog().find(actionName).map(a -> a.kind() instanceof Action.KillSwitch ks && ks.flag().equals(flag))
        .orElse(false);
  }

  List<ActionRun> auditLog(int limit) {
    return service.auditLog(limit);
  }

  Optional<ActionRun> find(long runId) {
    return service.run(runId);
  }

  private static ActionRequest request(String action, Map<String, String> parameters, Incident incident,
      Users.Person person, String key) {
    Map<String, String> given = new LinkedHashMap<>();
    // an empty field means "not given", so the action's default applies or its absence is refused
    parameters.forEach((name, value) -> {
      if (value != null && !value.isBlank()) {
        given.put(name, value.strip());
      }
    });
    return new ActionRequest(action, given, person.actor(), String.valueOf(incident.id()),
        incident.rule() + ": " + incident.summary(), null, key, false);
  }

  /** Open views show flags, runs and approvals: each change redraws them. */
  private ActionRun changed(ActionRun run) {
    feed.changed();
    return run;
  }
}
