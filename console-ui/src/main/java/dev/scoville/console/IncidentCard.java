package dev.scoville.console;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.router.RouterLink;
import dev.scoville.rules.Incident;
import java.time.Duration;
import java.time.Instant;

/** An incident on the board or in the list: state, rule, summary, age, labels. Updated in place. */
final class IncidentCard extends Div {
  private final Span state;
  private final Div summary = new Div();
  private final Div when = new Div();
  private final Button acknowledge;
  private Incident shown;

  IncidentCard(Incident incident, Runnable onAcknowledge) {
    long id = incident.id();
    setId("incident-" + id);
    addClassName("incident");
    state = Badges.state(incident.state());
    state.setId("state-" + id);
    RouterLink title = new RouterLink(incident.rule(), IncidentView.class, IncidentView.parameters(id));
    title.setId("open-" + id);
    title.addClassName("incident-title");
    Div head = new Div(state, Badges.severity(incident.severity()), title);
    if (incident.isDrill()) {
      head.addComponentAsFirst(Badges.drill());
    }
    head.addClassName("incident-head");
    summary.addClassName("incident-summary");
    when.addClassName("incident-when");
    acknowledge = new Button("Acknowledge", e -> {
      e.getSource().setEnabled(false);
      onAcknowledge.run();
    });
    acknowledge.setId("ack-" + id);
    acknowledge.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SMALL);
    add(head, summary, when, Display.chips(incident.labels(), "severity"), acknowledge);
  }

  void show(Incident incident, Instant now) {
    if (shown == null || shown.state() != incident.state()) {
      Badges.update(state, incident.state());
      getClassNames().removeIf(c -> c.startsWith("state-"));
      addClassName("state-" + incident.state().name().toLowerCase());
      acknowledge.setVisible(incident.state() == Incident.State.TRIGGERED);
      acknowledge.setEnabled(true);
    }
    Texts.set(summary, incident.summary() + (incident.isMuted() ? " · muted by " + incident.mutedBy() : ""));
    StringBuilder sb = new StringBuilder();
    if (incident.isOpen()) {
      sb.append("opened ").append(Display.age(incident.openedAt(), now));
    } else {
      sb.append("resolved ").append(Display.age(incident.resolvedAt(), now)).append(" after ")
          .append(Display.duration(Duration.between(incident.openedAt(), incident.resolvedAt())));
    }
    if (incident.acknowledgedBy() != null) {
      sb.append(" · acknowledged by ").append(incident.acknowledgedBy());
    }
    Texts.set(when, sb.toString());
    when.getElement().setAttribute("title", "opened " + Display.when(incident.openedAt()));
    shown = incident;
  }
}
