package dev.scoville.console;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.html.Anchor;
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
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One incident as on-call handles it: what happened, the runbook beside it, and the actions it
 * suggests as buttons. PagerDuty's links point here.
 */
@Route("incidents/:id")
@PageTitle("Incident · Scoville")
public class IncidentView extends VerticalLayout implements BeforeEnterObserver {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private final ConsoleServices services = ConsoleServices.get();
  private final Users.Person person = SignInGuard.signedIn();
  private final Div incidentPart = new Div();
  private final Div suggested = new Div();
  private final Div runs = new Div();
  private final Div timeline = new Div();
  private final RunbookPanel runbook = new RunbookPanel();
  private long id;
  // from Slack's "Run suggested action": opened for confirmation once the incident is loaded
  private String requestedAction;
  private Runnable unsubscribe = () -> {};

  public IncidentView() {
    incidentPart.setId("incident");
    suggested.setId("suggested-actions");
    runs.setId("incident-runs");
    timeline.setId("timeline");
    runbook.getStyle().set("flex", "1 1 28rem").set("min-width", "20rem");
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
    requestedAction = event.getLocation().getQueryParameters().getSingleParameter("action").orElse(null);
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
    page.guide().runbookUrl().ifPresent(url -> {
      Anchor link = new Anchor(url, "The rule's runbook: " + url);
      link.setTarget("_blank");
      incidentPart.add(new Div(link));
    });

    suggested.removeAll();
    if (page.guide().actions().isEmpty()) {
      suggested.add(new Span("No runbook suggests an action for " + incident.rule() + "."));
    }
    for (Action action : page.guide().actions()) {
      Button button = new Button(action.title(), e -> confirm(action, incident));
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
    runbook.show(page.guide().runbooks(), "No runbook names rule " + incident.rule() + ".");
    if (requestedAction != null) {
      page.guide().actions().stream().filter(a -> a.name().equals(requestedAction)).findFirst()
          .ifPresent(action -> confirm(action, incident));
      requestedAction = null;
    }
  }

  private void confirm(Action action, Incident incident) {
    new ActionDialog(services, action, incident, person, this::ran).open();
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

  private void ran(ActionRun run) {
    Notification note = Notification.show(RunText.summary(run), 6000, Notification.Position.BOTTOM_END);
    note.addThemeVariants(switch (run.outcome()) {
      case SUCCEEDED -> NotificationVariant.LUMO_SUCCESS;
      case REFUSED, FAILED -> NotificationVariant.LUMO_ERROR;
      default -> NotificationVariant.LUMO_CONTRAST;
    });
  }
}
