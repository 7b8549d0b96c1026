package dev.scoville.console;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import dev.scoville.collector.TargetHealth;
import dev.scoville.rules.Incident;
import dev.scoville.shop.PagerDutySink;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The live board: incidents first, then the targets and the pages sent. */
@Route("")
@PageTitle("War room · Scoville")
public class BoardView extends VerticalLayout {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private final ConsoleServices services = ConsoleServices.get();
  private final Div incidents = new Div();
  private final Div targets = new Div();
  private final Div pages = new Div();
  private Runnable unsubscribe = () -> {};

  public BoardView() {
    incidents.setId("incidents");
    targets.setId("targets");
    pages.setId("pages");
    add(new ConsoleNav(), new H3("Incidents"), incidents, new H3("Targets"), targets);
    if (services.pagerDutySink().isPresent()) {
      add(new H3("Pages sent to the local PagerDuty sink"), pages);
    }
  }

  @Override
  protected void onAttach(AttachEvent event) {
    UI ui = event.getUI();
    unsubscribe = services.feed().subscribe(() -> reload(ui));
    // Targets change on every scrape; a slow poll keeps them current without pushing per scrape.
    ui.setPollInterval(5000);
    ui.addPollListener(poll -> reload(ui));
    reload(ui);
  }

  @Override
  protected void onDetach(DetachEvent event) {
    unsubscribe.run();
  }

  private void reload(UI ui) {
    services.workers().submit(() -> {
      BoardSnapshot snapshot = BoardSnapshot.load(services);
      ui.access(() -> show(snapshot));
    });
  }

  private void show(BoardSnapshot snapshot) {
    incidents.removeAll();
    if (snapshot.incidents().isEmpty()) {
      incidents.add(new Span("No incidents. The shop is fine."));
    }
    snapshot.incidents().forEach(i -> incidents.add(incidentCard(i)));
    targets.removeAll();
    snapshot.targets().forEach(t -> targets.add(targetLine(t)));
    pages.removeAll();
    if (snapshot.pages().isEmpty()) {
      pages.add(new Span("None yet."));
    }
    snapshot.pages().forEach(p -> pages.add(pageLine(p)));
  }

  private Div incidentCard(Incident incident) {
    Span state = new Span(incident.state().name().toLowerCase());
    state.setId("state-" + incident.id());
    state.getElement().getThemeList().add("badge " + switch (incident.state()) {
      case TRIGGERED -> "error";
      case ACKNOWLEDGED -> "contrast";
      case RESOLVED -> "success";
    });
    RouterLink title = new RouterLink(incident.rule() + " · " + incident.severity().name().toLowerCase(),
        IncidentView.class, IncidentView.parameters(incident.id()));
    title.setId("open-" + incident.id());
    title.getStyle().set("font-weight", "600");
    Div card = new Div(new HorizontalLayout(state, title), new Div(incident.summary()),
        new Div(describe(incident)));
    card.setId("incident-" + incident.id());
    card.addClassName("incident");
    card.getStyle().set("padding", "var(--lumo-space-s) var(--lumo-space-m)")
        .set("margin-bottom", "var(--lumo-space-s)")
        .set("border-left", "4px solid " + (incident.isOpen() ? "var(--lumo-error-color)" : "var(--lumo-success-color)"))
        .set("background", "var(--lumo-contrast-5pct)");
    if (incident.state() == Incident.State.TRIGGERED) {
      Button acknowledge = new Button("Acknowledge", e -> {
        e.getSource().setEnabled(false);
        Users.Person person = SignInGuard.signedIn();
        services.workers().submit(() -> services.incidents().acknowledge(incident.id(), person.name()));
      });
      acknowledge.setId("ack-" + incident.id());
      acknowledge.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
      card.add(acknowledge);
    }
    return card;
  }

  private static String describe(Incident incident) {
    StringBuilder sb = new StringBuilder("opened " + TIME.format(incident.openedAt()));
    if (incident.acknowledgedAt() != null) {
      sb.append(" · acknowledged by ").append(incident.acknowledgedBy()).append(" at ").append(TIME.format(incident.acknowledgedAt()));
    }
    if (incident.resolvedAt() != null) {
      sb.append(" · resolved ").append(TIME.format(incident.resolvedAt()));
    }
    return sb.append(" · ").append(incident.labels()).toString();
  }

  private static Div targetLine(TargetHealth t) {
    Span up = new Span(t.up() ? "up" : "down");
    up.getElement().getThemeList().add("badge " + (t.up() ? "success" : "error"));
    String detail = t.up()
        ? t.lastSamples() + " samples in " + t.lastDurationMillis() + " ms"
        : String.valueOf(t.lastError());
    return new Div(up, new Span(" " + t.job() + " · " + t.url() + " · " + detail));
  }

  private static Div pageLine(PagerDutySink.ReceivedEvent page) {
    return new Div(new Span(TIME.format(page.receivedAt()) + " " + page.eventAction() + " " + page.dedupKey()
        // pagerduty-client fills acknowledge and resolve payloads with a placeholder: show triggers' only.
        + (page.eventAction().equals("trigger") ? " · " + page.summary() : "")));
  }
}
