package dev.scoville.console;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Section;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import dev.scoville.core.ValueFormat;
import dev.scoville.contingency.Action;
import dev.scoville.contingency.ActionRun;
import dev.scoville.contingency.StatusPageDraft;
import dev.scoville.rules.Incident;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The incident room: what happened and what it is doing now, who commands, the rule's chart, the
 * runbook beside it with its actions, and a timeline of everything. PagerDuty's and Slack's links
 * point here. Redrawn in place as the incident changes.
 */
@Route("incidents/:id")
public class IncidentView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
  private final ConsoleServices services = ConsoleServices.get();
  private final Users.Person person = SignInGuard.signedIn();
  private final Div head = new Div();
  private final Div controls = new Div();
  private final Div now = new Div();
  private final TrendChart chart = new TrendChart(260, "the rule's value", false);
  private final Div suggested = new Div();
  private final Div runs = new Div();
  private final Div drafts = new Div();
  private final Div timeline = new Div();
  private final Div related = new Div();
  private final RunbookPanel runbook = new RunbookPanel();
  private final TextArea note = new TextArea("Note or status update");
  private final TextField commander = new TextField("Incident commander");
  private final Button acknowledge = new Button("Acknowledge");
  private final Button resolve = new Button("Resolve…");
  private long id;
  private String title = "Incident · Scoville";
  // from Slack's "Run suggested action": opened for confirmation once the incident is loaded
  private String requestedAction;
  private IncidentPage shown;
  private Runnable unsubscribe = () -> {};
  private long lastChartRead;
  // read by the board's thread to re-read the chart, set on the UI thread
  private volatile Incident chartedIncident;

  public IncidentView() {
    addClassName("page");
    head.setId("incident");
    now.setId("incident-now");
    now.addClassName("incident-now");
    suggested.setId("suggested-actions");
    runs.setId("incident-runs");
    drafts.setId("incident-drafts");
    timeline.setId("timeline");
    timeline.addClassName("timeline");
    related.setId("related");
    chart.setId("incident-chart");
    acknowledge.setId("incident-ack");
    acknowledge.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    acknowledge.addClickListener(e -> {
      acknowledge.setEnabled(false);
      services.inBackground(UI.getCurrent(), () -> services.incidents().acknowledge(id, person.name()), i -> {});
    });
    resolve.setId("incident-resolve");
    resolve.addClickListener(e -> new ResolveDialog(services, id, person).open());
    Button addNote = new Button("Add note", e -> {
      String text = note.getValue();
      services.inBackground(UI.getCurrent(), () -> services.incidents().addNote(id, person.name(), text), i -> note.clear());
    });
    addNote.setId("add-note");
    note.setId("note");
    note.setWidthFull();
    commander.setId("commander");
    commander.setPlaceholder(person.name());
    Button assign = new Button("Assign", e -> {
      String name = commander.getValue().isBlank() ? person.name() : commander.getValue();
      services.inBackground(UI.getCurrent(), () -> services.incidents().assignCommander(id, person.name(), name),
          i -> commander.clear());
    });
    assign.setId("assign-commander");
    controls.addClassName("incident-controls");
    Div commanderRow = new Div(commander, assign);
    commanderRow.addClassName("inline-form");
    controls.add(new Div(acknowledge, resolve), commanderRow, new Div(note), addNote);

    Main main = new Main();
    main.addClassName("incident-room");
    Div left = new Div(head, now, controls, section("The rule's value", chart), section("Suggested actions", suggested),
        section("Actions taken", runs), section("Status page and customer messages", drafts),
        section("Timeline", timeline), section("Related incidents", related));
    left.addClassName("incident-main");
    runbook.addClassName("incident-runbook");
    main.add(left, runbook);
    add(new ConsoleNav("Incident"), main);
  }

  private static Section section(String title, Component content) {
    Section s = new Section(new H2(title), content);
    s.addClassName("room-section");
    return s;
  }

  static RouteParameters parameters(long incidentId) {
    return new RouteParameters("id", String.valueOf(incidentId));
  }

  @Override
  public String getPageTitle() {
    return title;
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    try {
      id = Long.parseLong(event.getRouteParameters().get("id").orElse(""));
    } catch (NumberFormatException e) {
      id = -1;
    }
    requestedAction = event.getLocation().getQueryParameters().getSingleParameter("action").orElse(null);
    // Vaadin keeps this view when only the id changes, and then it is not attached again
    if (isAttached()) {
      shown = null;
      reload(event.getUI());
    }
  }

  @Override
  protected void onAttach(AttachEvent event) {
    UI ui = event.getUI();
    Runnable stopIncidents = services.feed().subscribe(() -> reload(ui));
    // the chart and the value now move with the data: re-read them, and only them, every few seconds
    Runnable stopClock = services.board().subscribe(snapshot -> {
      Incident incident = chartedIncident;
      if (incident != null && snapshot.at().toEpochMilli() - lastChartRead >= 5000) {
        lastChartRead = snapshot.at().toEpochMilli();
        Instant at = snapshot.at();
        services.inBackground(ui, () -> IncidentPage.chart(services, incident, at), c -> showChart(incident, c, at));
      }
    });
    unsubscribe = () -> {
      stopIncidents.run();
      stopClock.run();
    };
    reload(ui);
  }

  @Override
  protected void onDetach(DetachEvent event) {
    unsubscribe.run();
  }

  private void reload(UI ui) {
    services.inBackground(ui, () -> IncidentPage.load(services, id), page -> page.ifPresentOrElse(this::show, () -> {
      head.removeAll();
      head.add(new H2("No incident " + id));
      title = "No incident " + id + " · Scoville";
      ui.getPage().setTitle(title);
    }));
  }

  private void show(IncidentPage page) {
    Incident incident = page.incident();
    title = "#" + incident.id() + " " + incident.rule() + " · " + incident.state().name().toLowerCase() + " · Scoville";
    UI.getCurrent().getPage().setTitle(title);
    if (shown == null || !shown.incident().equals(incident) || !Objects.equals(shown.commander(), page.commander())) {
      showHead(page);
    }
    chartedIncident = incident;
    showChart(incident, page.chart(), page.at());
    if (shown == null || !shown.guide().equals(page.guide()) || !shown.inEffect().equals(page.inEffect())
        || !shown.incident().equals(incident)) {
      showSuggested(page);
    }
    if (shown == null || !shown.runs().equals(page.runs())) {
      showRuns(page);
    }
    if (shown == null || !shown.drafts().equals(page.drafts())) {
      drafts.removeAll();
      if (page.drafts().isEmpty()) {
        drafts.add(new Span("None written for this incident."));
      }
      page.drafts().forEach(this::showDraft);
    }
    if (shown == null || !shown.timeline().equals(page.timeline())) {
      showTimeline(page);
    }
    if (shown == null || !shown.related().equals(page.related())) {
      related.removeAll();
      if (page.related().isEmpty()) {
        related.add(new Span("No other incident of " + incident.rule() + " in the day before this one or since."));
      }
      for (Incident r : page.related()) {
        RouterLink link = new RouterLink("#" + r.id() + " " + r.rule() + " · " + r.state().name().toLowerCase() + " · opened "
            + Display.when(r.openedAt()), IncidentView.class, parameters(r.id()));
        related.add(new Div(link));
      }
    }
    runbook.show(page.guide().runbooks(), "No runbook names rule " + incident.rule() + ".");
    if (requestedAction != null) {
      page.guide().actions().stream().filter(a -> a.name().equals(requestedAction)).findFirst()
          .filter(a -> BoardPanel.mayOffer(a, person)).ifPresent(action -> confirm(action, incident));
      requestedAction = null;
    }
    shown = page;
  }

  private void showHead(IncidentPage page) {
    Incident incident = page.incident();
    head.removeAll();
    Span state = Badges.state(incident.state());
    state.setId("incident-state");
    H2 name = new H2(incident.rule());
    name.addClassName("incident-rule");
    Div line = new Div(state, Badges.severity(incident.severity()), name);
    if (incident.isDrill()) {
      line.addComponentAsFirst(Badges.drill());
    }
    line.addClassName("incident-head");
    Div summary = new Div(incident.summary());
    summary.addClassName("incident-summary");
    StringBuilder when = new StringBuilder("#" + incident.id() + " · opened " + Display.when(incident.openedAt()));
    if (incident.acknowledgedAt() != null) {
      when.append(" · acknowledged by ").append(incident.acknowledgedBy()).append(" at ")
          .append(Display.clock(incident.acknowledgedAt()));
    }
    if (incident.resolvedAt() != null) {
      when.append(" · resolved ").append(Display.when(incident.resolvedAt()));
    }
    Span commanderText = new Span("Incident commander: " + (page.commander() == null ? "nobody yet" : page.commander()));
    commanderText.setId("incident-commander");
    head.add(line, summary, new Div(when.toString()), Display.chips(incident.labels(), "severity"), commanderText);
    Details details = new Details("Details", new Pre("dedup_key " + incident.dedupKey() + "\nlabels " + incident.labels()
        + (incident.isMuted() ? "\nmuted by " + incident.mutedBy() : "")));
    head.add(details);
    page.guide().runbookUrl().ifPresent(url -> {
      Anchor link = new Anchor(url, "The rule's runbook: " + url);
      link.setTarget("_blank");
      head.add(new Div(link));
    });
    acknowledge.setVisible(incident.state() == Incident.State.TRIGGERED);
    acknowledge.setEnabled(true);
    resolve.setVisible(incident.isOpen());
  }

  /** The rule's chart and its value now, as read at {@code at}. */
  private void showChart(Incident incident, Optional<IncidentPage.Chart> read, Instant at) {
    now.removeAll();
    read.ifPresentOrElse(c -> {
      String value = c.now().isEmpty() ? "no value now (the series is gone or the expression matches nothing)"
          : String.join(", ", c.now().stream().map(s -> ValueFormat.format(s.value(), "")).toList());
      now.add(new Span("Now: " + value + (c.rule().threshold() == null ? "" : " (fires " + c.rule().threshold() + ")")
          + " · read " + Display.clock(at)));
      chart.show(c.trend(), c.rule().threshold() == null ? List.of() : List.of(c.rule().threshold()), List.of(), "",
          List.of(new TrendChart.Mark(incident.openedAt().toEpochMilli(), "fired")));
    }, () -> now.add(new Span("No chart: the rule " + incident.rule()
        + " is not loaded here (sent by Alertmanager or Grafana, or removed).")));
    chart.setVisible(read.isPresent());
  }

  private void showSuggested(IncidentPage page) {
    suggested.removeAll();
    List<Action> offered = page.guide().actions().stream().filter(a -> BoardPanel.mayOffer(a, person)).toList();
    if (page.guide().actions().isEmpty()) {
      suggested.add(new Span("No runbook suggests an action for " + page.incident().rule() + "."));
    } else if (offered.isEmpty()) {
      suggested.add(new Span("The suggested actions are for commanders."));
    }
    for (Action action : offered) {
      Button button = new Button(action.title(), e -> confirm(action, page.incident()));
      button.setId("action-" + action.name());
      button.addThemeVariants(action.risk() == Action.Risk.LOW ? ButtonVariant.LUMO_CONTRAST : ButtonVariant.LUMO_PRIMARY);
      Div line = new Div(button);
      line.addClassName("suggested-action");
      if (page.inEffect().contains(action.name())) {
        button.setEnabled(false);
        Span effect = new Span("✓ in effect");
        effect.setId("in-effect-" + action.name());
        line.add(effect);
      }
      suggested.add(line);
    }
  }

  private void showRuns(IncidentPage page) {
    runs.removeAll();
    if (page.runs().isEmpty()) {
      runs.add(new Span("None yet."));
    }
    page.runs().forEach(run -> runs.add(runLine(run)));
  }

  private void showDraft(StatusPageDraft draft) {
    Div d = new Div(new Span("Status page draft, " + Display.when(draft.createdAt()) + ": " + draft.headline()));
    Pre body = new Pre(draft.body());
    body.addClassName("payload");
    d.add(body);
    d.setId("draft-" + draft.id());
    drafts.add(d);
  }

  private void showTimeline(IncidentPage page) {
    timeline.removeAll();
    for (IncidentPage.Entry e : page.timeline()) {
      Span at = new Span(Display.clock(e.at()));
      at.addClassName("timeline-at");
      at.getElement().setAttribute("title", Display.when(e.at()));
      Span kind = new Span(e.kind());
      kind.addClassName("timeline-kind");
      Div entry = new Div(at, kind, new Span((e.actor() == null ? "" : e.actor() + " · ") + (e.detail() == null ? "" : e.detail())));
      entry.addClassName("timeline-entry");
      entry.addClassName("kind-" + e.kind().replace(' ', '-'));
      timeline.add(entry);
    }
  }

  private void confirm(Action action, Incident incident) {
    new ActionDialog(services, action, incident, person, ActionOutcome::show).open();
  }

  private Div runLine(ActionRun run) {
    Div line = new Div(new Span(RunText.summary(run)));
    line.setId("run-" + run.id());
    line.addClassName("run-line");
    boolean offered = services.actions().catalog().stream().filter(a -> a.name().equals(run.action())).findFirst()
        .map(a -> BoardPanel.mayOffer(a, person)).orElse(false);
    if (offered && services.actions().canRollBack(run)) {
      Button rollback = new Button("Roll back…", e -> RollbackDialog.open(services, run.id(), person));
      rollback.setId("rollback-" + run.id());
      rollback.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
      line.add(rollback);
    }
    if (run.outcome() == ActionRun.Outcome.AWAITING_APPROVAL) {
      line.add(new RouterLink("another commander approves it on the board or the actions page", ActionsView.class));
    }
    if (run.sent() != null) {
      Pre sent = new Pre(run.sent() + (run.answer() == null ? "" : "\n\nanswer:\n" + run.answer()));
      sent.addClassName("payload");
      line.add(new Details("What was sent", sent));
    }
    return line;
  }
}
