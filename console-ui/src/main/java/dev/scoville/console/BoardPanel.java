package dev.scoville.console;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Section;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.router.RouterLink;
import dev.scoville.collector.TargetHealth;
import dev.scoville.console.board.Tile;
import dev.scoville.console.board.TileConfig;
import dev.scoville.console.board.TileReading;
import dev.scoville.contingency.Action;
import dev.scoville.contingency.ActionRun;
import dev.scoville.contingency.Actor;
import dev.scoville.rules.Incident;
import dev.scoville.rules.notify.ReceiverStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The board's content: what needs a decision, open incidents on top, the four signal families,
 * recently resolved incidents and the targets. It applies each shared snapshot in place, so that
 * focus and selection survive live updates.
 */
final class BoardPanel extends Main {
  private final ConsoleServices services;
  private final Users.Person person;
  private final Div attention = new Div();
  private final Div incidents = new Div();
  private final Div resolved = new Div();
  private final Div targets = new Div();
  private final Span noIncidents = new Span("No open incidents.");
  private final Map<Long, IncidentCard> openCards = new HashMap<>();
  private final Map<String, TileCard> tileCards = new HashMap<>();
  private BoardSnapshot shown = BoardSnapshot.EMPTY;
  private Instant resolvedShownAt = Instant.EPOCH;
  private Runnable unsubscribe = () -> {};

  BoardPanel(ConsoleServices services, Users.Person person) {
    this.services = services;
    this.person = person;
    addClassName("board");
    attention.setId("attention");
    incidents.setId("incidents");
    incidents.addClassName("incident-list");
    resolved.setId("resolved");
    resolved.addClassName("resolved-strip");
    targets.setId("targets");
    noIncidents.setId("no-incidents");
    add(attention, section("Open incidents", incidents));
    Map<TileConfig.Family, Div> families = new EnumMap<>(TileConfig.Family.class);
    for (Tile tile : services.tiles()) {
      Div grid = families.computeIfAbsent(tile.family(), f -> {
        Div g = new Div();
        g.addClassName("tiles");
        return g;
      });
      TileCard card = new TileCard(tile);
      tileCards.put(tile.id(), card);
      grid.add(card);
    }
    families.forEach((family, grid) -> {
      Section s = section(family.title(), grid);
      s.setId("family-" + family.name().toLowerCase());
      add(s);
    });
    add(section("Recently resolved", resolved), section("Targets", targets));
  }

  private static Section section(String title, Component content) {
    H2 heading = new H2(title);
    Section section = new Section(heading, content);
    section.addClassName("board-section");
    return section;
  }

  @Override
  protected void onAttach(AttachEvent event) {
    UI ui = event.getUI();
    unsubscribe = services.board().subscribe(snapshot -> ui.access(() -> show(snapshot)));
    show(services.board().current());
  }

  @Override
  protected void onDetach(DetachEvent event) {
    unsubscribe.run();
  }

  private void show(BoardSnapshot snapshot) {
    if (snapshot.at().isBefore(shown.at())) {
      return;
    }
    for (TileReading reading : snapshot.tiles()) {
      TileCard card = tileCards.get(reading.tile().id());
      if (card != null) {
        card.show(reading);
      }
    }
    showOpen(snapshot);
    // ages in the strip move by the minute: redraw it when it changes or a minute has passed
    if (!snapshot.resolved().equals(shown.resolved()) || snapshot.at().isAfter(resolvedShownAt.plusSeconds(60))) {
      showResolved(snapshot);
      resolvedShownAt = snapshot.at();
    }
    if (!snapshot.awaitingApproval().equals(shown.awaitingApproval()) || !snapshot.reminders().equals(shown.reminders())
        || !snapshot.receivers().equals(shown.receivers())) {
      showAttention(snapshot);
    }
    if (!snapshot.targets().equals(shown.targets())) {
      showTargets(snapshot.targets());
    }
    shown = snapshot;
  }

  /** Open incidents, newest first; cards already shown are updated, not rebuilt. */
  private void showOpen(BoardSnapshot snapshot) {
    List<Long> ids = snapshot.open().stream().map(Incident::id).toList();
    openCards.keySet().removeIf(id -> {
      if (!ids.contains(id)) {
        incidents.remove(openCards.get(id));
        return true;
      }
      return false;
    });
    for (int i = 0; i < snapshot.open().size(); i++) {
      Incident incident = snapshot.open().get(i);
      IncidentCard card = openCards.computeIfAbsent(incident.id(), id -> new IncidentCard(incident,
          () -> services.workers().submit(() -> services.incidents().acknowledge(id, person.name()))));
      if (incidents.getChildren().skip(i).findFirst().orElse(null) != card) {
        incidents.addComponentAtIndex(i, card);
      }
      card.show(incident, snapshot.at());
    }
    if (snapshot.open().isEmpty()) {
      if (noIncidents.getParent().isEmpty()) {
        incidents.add(noIncidents);
      }
    } else {
      incidents.remove(noIncidents);
    }
  }

  private void showResolved(BoardSnapshot snapshot) {
    resolved.removeAll();
    if (snapshot.resolved().isEmpty()) {
      resolved.add(new Span("Nothing resolved in the last day."));
    }
    for (Incident incident : snapshot.resolved()) {
      RouterLink link = new RouterLink("✓ " + incident.rule() + " · " + Display.age(incident.resolvedAt(), snapshot.at()),
          IncidentView.class, IncidentView.parameters(incident.id()));
      link.setId("resolved-" + incident.id());
      link.addClassName("resolved-item");
      resolved.add(link);
    }
  }

  private void showAttention(BoardSnapshot snapshot) {
    attention.removeAll();
    boolean commander = person.actor().role() == Actor.Role.COMMANDER;
    List<Component> items = new ArrayList<>();
    snapshot.receivers().forEach(receiver -> items.add(receiver(receiver)));
    if (commander) {
      snapshot.awaitingApproval().forEach(run -> items.add(approval(run, snapshot)));
    }
    snapshot.reminders().forEach(reminder -> items.add(reminder(reminder, snapshot)));
    if (!items.isEmpty()) {
      Section s = section("Needs a decision", new Div(items.toArray(Component[]::new)));
      s.addClassName("attention");
      attention.add(s);
    }
  }

  /** A receiver that fails: paging may not reach anyone, so it heads the board for everyone. */
  private static Component receiver(ReceiverStatus status) {
    String where = status.state() == ReceiverStatus.State.FALLBACK
        ? "pages go through " + status.fallback() + " until it answers again"
        : "retrying; pages wait for it";
    Div item = new Div(new Span("⚠ Paging through " + status.receiver() + " fails since "
        + Display.when(status.failingSince()) + " (" + status.lastError() + "): " + where + "."));
    item.setId("receiver-" + status.receiver().replaceAll("[^A-Za-z0-9_-]", "-"));
    item.addClassNames("attention-item", "receiver-failing");
    return item;
  }

  private Component approval(ActionRun run, BoardSnapshot snapshot) {
    Div item = new Div(new Span("⚑ " + run.requestedBy() + " asks to run " + run.action()
        + (run.incidentId() == null ? "" : " for incident #" + run.incidentId()) + " ("
        + Display.age(run.requestedAt(), snapshot.at()) + ")"));
    item.setId("board-approval-" + run.id());
    item.addClassName("attention-item");
    Pre payload = new Pre(Objects.requireNonNullElse(run.sent(), "(nothing to send)"));
    payload.addClassName("payload");
    item.add(new Details("What it will send", payload));
    if (run.requestedBy().equals(person.name())) {
      item.add(new Span("Another commander approves what you asked for."));
    } else {
      Button approve = new Button("Approve", e -> {
        e.getSource().setEnabled(false);
        services.inBackground(UI.getCurrent(), () -> services.actions().approve(run.id(), person), ActionOutcome::show);
      });
      approve.setId("board-approve-" + run.id());
      approve.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SMALL);
      item.add(approve);
    }
    return item;
  }

  private Component reminder(ConsoleActions.SwitchReminder reminder, BoardSnapshot snapshot) {
    String why = reminder.incidentId() == null ? "switched without an incident"
        : "its incident #" + reminder.incidentId() + " is resolved";
    Div item = new Div(new Span("⚠ Kill switch " + reminder.flag() + " is still switched (" + reminder.title() + ", by "
        + reminder.switchedBy() + " " + Display.age(reminder.at(), snapshot.at()) + "): " + why + "."));
    item.setId("reminder-" + reminder.flag());
    item.addClassName("attention-item");
    boolean allowed = services.actions().catalog().stream().filter(a -> a.name().equals(reminder.action()))
        .findFirst().map(a -> mayOffer(a, person)).orElse(false);
    if (allowed) {
      Button rollback = new Button("Roll back…", e -> RollbackDialog.open(services, reminder.runId(), person));
      rollback.setId("reminder-rollback-" + reminder.flag());
      rollback.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR);
      item.add(rollback);
    }
    return item;
  }

  private void showTargets(List<TargetHealth> all) {
    targets.removeAll();
    long up = all.stream().filter(TargetHealth::up).count();
    Span summary = new Span((up == all.size() ? "● " : "▲ ") + up + " of " + all.size() + " targets up");
    summary.setId("targets-summary");
    targets.add(summary);
    for (TargetHealth t : all) {
      Div line = new Div(new Span((t.up() ? "● up " : "▲ down ") + t.job() + " · " + t.url().getAuthority()
          + (t.up() ? " · " + t.lastSamples() + " samples in " + t.lastDurationMillis() + " ms" : " · " + t.lastError())));
      line.addClassName(t.up() ? "target-up" : "target-down");
      targets.add(line);
    }
  }

  /** Whether {@code person} is offered {@code action}: commander-only actions are not offered to responders. */
  static boolean mayOffer(Action action, Users.Person person) {
    return action.role() != Actor.Role.COMMANDER || person.actor().role() == Actor.Role.COMMANDER;
  }
}
