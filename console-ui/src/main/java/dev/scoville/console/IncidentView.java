package dev.scoville.console;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import dev.scoville.contingency.Action;
import dev.scoville.contingency.ActionRun;
import dev.scoville.rules.Incident;
import dev.scoville.rules.IncidentEvent;
import dev.scoville.runbooks.Runbook;
import org.jsoup.nodes.Entities;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * One incident as on-call handles it: what happened, the runbook beside it, and the actions it
 * suggests as buttons. PagerDuty's links point here.
 */
@Route("incidents/:id")
@PageTitle("Incident · Scoville")
public class IncidentView extends VerticalLayout implements BeforeEnterObserver {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
  // commonmark's HTML carries no styles: enough to read it beside the incident in Lumo's dark theme
  private static final String RUNBOOK_STYLE = "<style>"
      + ".runbook h1{font-size:var(--lumo-font-size-xl);margin-top:0}"
      + ".runbook h2{font-size:var(--lumo-font-size-l)}"
      + ".runbook button.runbook-action{font:inherit;cursor:pointer;padding:.3em .9em;border-radius:var(--lumo-border-radius-m);"
      + "border:none;background:var(--lumo-primary-color);color:var(--lumo-primary-contrast-color)}"
      + ".runbook button.runbook-action:disabled{background:var(--lumo-contrast-20pct);cursor:default}"
      + "</style>";

  private final ConsoleServices services = ConsoleServices.get();
  private final Users.Person person = SignInGuard.signedIn();
  private final Div incidentPart = new Div();
  private final Div suggested = new Div();
  private final Div runs = new Div();
  private final Div timeline = new Div();
  private final Div runbook = new Div();
  private long id;
  private ShownRunbooks shownRunbooks;
  private Runnable unsubscribe = () -> {};

  public IncidentView() {
    incidentPart.setId("incident");
    suggested.setId("suggested-actions");
    runs.setId("incident-runs");
    timeline.setId("timeline");
    runbook.setId("runbook");
    runbook.addClassName("runbook");
    runbook.getStyle().set("flex", "1 1 28rem").set("min-width", "20rem").set("padding", "var(--lumo-space-m)")
        .set("background", "var(--lumo-contrast-5pct)").set("border-radius", "var(--lumo-border-radius-l)");
    VerticalLayout left = new VerticalLayout(incidentPart, new H3("Suggested actions"), suggested,
        new H3("Actions taken"), runs, new H3("Timeline"), timeline);
    left.setPadding(false);
    left.getStyle().set("flex", "1 1 28rem").set("min-width", "20rem");
    HorizontalLayout columns = new HorizontalLayout(left, runbook);
    columns.setWidthFull();
    columns.getStyle().set("flex-wrap", "wrap");
    add(new ConsoleNav(), columns);
  }

  static RouteParameters parameters(long incidentId) {
    return new RouteParameters("id", String.valueOf(incidentId));
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    try {
      id = Long.parseLong(event.getRouteParameters().get("id").orElse(""));
    } catch (NumberFormatException e) {
      id = -1;
    }
    // Vaadin keeps this view when only the id changes, and then it is not attached again
    if (isAttached()) {
      reload(event.getUI());
    }
  }

  @Override
  protected void onAttach(AttachEvent event) {
    UI ui = event.getUI();
    unsubscribe = services.feed().subscribe(() -> reload(ui));
    reload(ui);
  }

  @Override
  protected void onDetach(DetachEvent event) {
    unsubscribe.run();
  }

  private void reload(UI ui) {
    services.inBackground(ui, () -> IncidentPage.load(services, id), page -> page.ifPresentOrElse(this::show, () -> {
      incidentPart.removeAll();
      incidentPart.add(new H3("No incident " + id));
    }));
  }

  private void show(IncidentPage page) {
    Incident incident = page.incident();
    incidentPart.removeAll();
    Span state = new Span(incident.state().name().toLowerCase());
    state.setId("incident-state");
    state.getElement().getThemeList().add("badge " + (incident.isOpen() ? "error" : "success"));
    Span title = new Span(incident.rule() + " · " + incident.severity().name().toLowerCase());
    title.getStyle().set("font-weight", "600").set("font-size", "var(--lumo-font-size-xl)");
    incidentPart.add(new HorizontalLayout(state, title), new Div(incident.summary()),
        new Div("#" + incident.id() + " · opened " + TIME.format(incident.openedAt()) + " · " + incident.labels()));

    suggested.removeAll();
    if (page.guide().actions().isEmpty()) {
      suggested.add(new Span("No runbook suggests an action for " + incident.rule() + "."));
    }
    for (Action action : page.guide().actions()) {
      Button button = new Button(action.title(), e -> new ActionDialog(services, action, incident, person, this::ran).open());
      button.setId("action-" + action.name());
      button.addThemeVariants(action.risk() == Action.Risk.LOW ? ButtonVariant.LUMO_CONTRAST : ButtonVariant.LUMO_PRIMARY);
      button.getStyle().set("margin", "0 var(--lumo-space-s) var(--lumo-space-s) 0");
      suggested.add(button);
    }

    runs.removeAll();
    if (page.runs().isEmpty()) {
      runs.add(new Span("None yet."));
    }
    page.runs().forEach(run -> runs.add(runLine(run)));

    timeline.removeAll();
    for (IncidentEvent e : page.timeline()) {
      timeline.add(new Div(TIME.format(e.at()) + " " + e.kind() + (e.actor() == null ? "" : " by " + e.actor())
          + (e.detail() == null ? "" : " · " + e.detail())));
    }
    showRunbooks(incident.rule(), page.guide().runbooks());
  }

  /** Redrawn only when the runbooks change, so a reader keeps their place on every update. */
  private void showRunbooks(String rule, List<Runbook> runbooks) {
    ShownRunbooks showing = new ShownRunbooks(rule, runbooks);
    if (showing.equals(shownRunbooks)) {
      return;
    }
    shownRunbooks = showing;
    StringBuilder html = new StringBuilder(RUNBOOK_STYLE);
    if (runbooks.isEmpty()) {
      html.append("<p>No runbook names rule ").append(Entities.escape(rule)).append(".</p>");
    }
    // the runbooks module escapes raw HTML in the Markdown: this is its own rendering
    runbooks.forEach(r -> html.append("<article>").append(r.html()).append("</article><hr>"));
    runbook.getElement().setProperty("innerHTML", html.toString());
    // a button in the text does what the suggested action's button beside it does
    runbook.getElement().executeJs("""
        this.querySelectorAll('button.runbook-action').forEach(b => {
          const target = () => document.getElementById('action-' + b.dataset.action);
          if (!target()) { b.disabled = true; b.title = 'not in the action catalog'; return; }
          b.addEventListener('click', () => target() && target().click());
        });""");
  }

  private Div runLine(ActionRun run) {
    Div line = new Div(new Span(RunText.summary(run)));
    line.setId("run-" + run.id());
    line.getStyle().set("margin-bottom", "var(--lumo-space-s)");
    if (services.actions().canRollBack(run)) {
      Button rollback = new Button("Roll back", e -> {
        e.getSource().setEnabled(false);
        services.inBackground(UI.getCurrent(), () -> services.actions().rollback(run.id(), person), this::ran);
      });
      rollback.setId("rollback-" + run.id());
      rollback.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
      rollback.getStyle().set("margin-left", "var(--lumo-space-s)");
      line.add(rollback);
    }
    if (run.outcome() == ActionRun.Outcome.AWAITING_APPROVAL) {
      RouterLink approvals = new RouterLink("another commander approves it on the actions page", ActionsView.class);
      approvals.getStyle().set("margin-left", "var(--lumo-space-s)");
      line.add(approvals);
    }
    if (run.sent() != null) {
      Pre sent = new Pre(run.sent() + (run.answer() == null ? "" : "\n\nanswer:\n" + run.answer()));
      sent.getStyle().set("white-space", "pre-wrap").set("font-size", "var(--lumo-font-size-xs)");
      line.add(new Details("What was sent", sent));
    }
    return line;
  }

  private record ShownRunbooks(String rule, List<Runbook> runbooks) {}

  private void ran(ActionRun run) {
    Notification note = Notification.show(RunText.summary(run), 6000, Notification.Position.BOTTOM_END);
    note.addThemeVariants(switch (run.outcome()) {
      case SUCCEEDED -> NotificationVariant.LUMO_SUCCESS;
      case REFUSED, FAILED -> NotificationVariant.LUMO_ERROR;
      default -> NotificationVariant.LUMO_CONTRAST;
    });
  }
}
