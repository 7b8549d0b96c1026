package dev.scoville.console;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.scoville.contingency.Actor;
import dev.scoville.reports.drills.DrillComparison;
import dev.scoville.reports.drills.DrillReport;
import dev.scoville.reports.drills.ShopScenarioClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Drills: a commander starts one (scenario, speed); everyone sees the list, a drill's report and
 * how it compares with the earlier runs of its scenario. The logic is {@code DrillService}'s.
 */
@Route("drills")
@PageTitle("Drills · Scoville")
public class DrillsView extends VerticalLayout {
  private final ConsoleServices services = ConsoleServices.get();
  private final Users.Person person = SignInGuard.signedIn();
  private final ComboBox<String> scenario = new ComboBox<>("Scenario");
  private final NumberField speed = new NumberField("Speed (× faster than written)");
  private final Span scenarioText = new Span();
  private final Grid<DrillReport> list = new Grid<>();
  private final Div report = new Div();
  private final Grid<DrillComparison.Row> comparison = new Grid<>();
  private final Span change = new Span();
  private Runnable unsubscribe = () -> {};
  private Long selected;

  public DrillsView() {
    scenario.setId("drill-scenario");
    speed.setId("drill-speed");
    speed.setMin(1);
    speed.setMax(3600);
    speed.setValue(1.0);
    Button start = new Button("Start the drill", e -> start(UI.getCurrent()));
    start.setId("drill-start");
    start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    boolean commander = person != null && person.actor().role().covers(Actor.Role.COMMANDER);
    start.setEnabled(commander);
    Div form = new Div(scenario, speed, start);
    form.addClassName("filters");
    if (!commander) {
      form.add(new Span("Only a commander starts a drill."));
    }
    list.setId("drills");
    list.addColumn(DrillReport::id).setHeader("#").setAutoWidth(true).setFlexGrow(0);
    list.addColumn(DrillReport::scenario).setHeader("Scenario").setAutoWidth(true);
    list.addColumn(d -> Display.when(d.startedAt())).setHeader("Started").setAutoWidth(true);
    list.addColumn(DrillReport::startedBy).setHeader("By").setAutoWidth(true);
    list.addColumn(d -> d.state().name().toLowerCase().replace('_', ' ')).setHeader("State").setAutoWidth(true);
    list.addColumn(d -> time(d.timeToDetect())).setHeader("Detect").setAutoWidth(true);
    list.addColumn(d -> time(d.timeToAcknowledge())).setHeader("Acknowledge").setAutoWidth(true);
    list.addColumn(d -> time(d.timeToMitigate())).setHeader("Mitigate").setAutoWidth(true);
    list.addColumn(d -> time(d.timeToRecover())).setHeader("Recover").setAutoWidth(true);
    list.addColumn(DrillReport::score).setHeader("Score").setAutoWidth(true);
    list.setAllRowsVisible(true);
    list.addItemClickListener(e -> {
      selected = e.getItem().id();
      reload(UI.getCurrent());
    });
    report.setId("drill-report");
    comparison.setId("drill-comparison");
    comparison.addColumn(DrillComparison.Row::id).setHeader("#").setAutoWidth(true).setFlexGrow(0);
    comparison.addColumn(DrillComparison.Row::startedAt).setHeader("Started").setAutoWidth(true);
    comparison.addColumn(DrillComparison.Row::state).setHeader("State").setAutoWidth(true);
    comparison.addColumn(DrillComparison.Row::detect).setHeader("Detect").setAutoWidth(true);
    comparison.addColumn(DrillComparison.Row::acknowledge).setHeader("Acknowledge").setAutoWidth(true);
    comparison.addColumn(DrillComparison.Row::mitigate).setHeader("Mitigate").setAutoWidth(true);
    comparison.addColumn(DrillComparison.Row::recover).setHeader("Recover").setAutoWidth(true);
    comparison.addColumn(DrillComparison.Row::score).setHeader("Score").setAutoWidth(true);
    comparison.addColumn(r -> r.steps().isEmpty() ? "–" : String.join("; ", r.steps())).setHeader("Runbook steps")
        .setAutoWidth(true);
    comparison.setAllRowsVisible(true);
    change.setId("drill-change");
    Button refresh = new Button("Refresh", e -> reload(UI.getCurrent()));
    refresh.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
    add(new ConsoleNav("Drills"), form, scenarioText, new H3("Drills"), refresh, list, new H3("Report"), report,
        new H3("Against earlier runs of the scenario"), change, comparison);
  }

  @Override
  protected void onAttach(AttachEvent event) {
    UI ui = event.getUI();
    unsubscribe = services.feed().subscribe(() -> reload(ui));
    services.inBackground(ui, () -> services.drills().scenarios(), this::showScenarios);
    reload(ui);
  }

  @Override
  protected void onDetach(DetachEvent event) {
    unsubscribe.run();
  }

  private void showScenarios(List<ShopScenarioClient.Scenario> scenarios) {
    scenario.setItems(scenarios.stream().map(ShopScenarioClient.Scenario::name).toList());
    scenario.addValueChangeListener(e -> scenarios.stream().filter(s -> s.name().equals(e.getValue())).findFirst()
        .ifPresent(s -> scenarioText.setText(s.description() + " (" + Display.duration(s.length()) + " as written)")));
  }

  private void start(UI ui) {
    String name = scenario.getValue();
    if (name == null) {
      Notification.show("Choose a scenario first.");
      return;
    }
    Double pace = speed.getValue();
    services.inBackground(ui, () -> services.drills().start(name, pace, person.actor()), drill -> {
      selected = drill.id();
      Notification.show("Drill " + drill.id() + " started: " + drill.scenario() + " until "
          + Display.clock(drill.scenarioEndsAt()));
      reload(ui);
    });
  }

  private void reload(UI ui) {
    Long id = selected;
    services.inBackground(ui, () -> new Page(services.drills().recent(50),
        id == null ? Optional.empty() : services.drills().compare(id)), this::show);
  }

  private record Page(List<DrillReport> drills, Optional<DrillComparison> selected) {}

  private void show(Page page) {
    list.setItems(page.drills());
    report.removeAll();
    page.selected().ifPresentOrElse(c -> {
      DrillReport d = c.drill();
      report.add(new Div("Drill " + d.id() + " · " + d.scenario() + " at speed " + d.speed() + " · started by "
          + d.startedBy() + " " + Display.when(d.startedAt()) + " · " + d.state().name().toLowerCase().replace('_', ' ')
          + (d.outcome() == null ? "" : ": " + d.outcome())));
      for (DrillReport.Result r : d.results()) {
        Div line = new Div(r.measure() + ": " + time(r.measured()) + " (target " + Display.duration(r.target()) + ") "
            + (r.met() ? "✓ met" : "✗ missed"));
        line.addClassName(r.met() ? "drill-met" : "drill-missed");
        report.add(line);
      }
      report.add(new Div("Score: " + d.score() + " / 100"));
      report.add(new Div("Incidents: " + (d.incidents().isEmpty() ? "none" : d.incidents().toString())));
      report.add(new Div("Runbooks: " + (d.runbooks().isEmpty() ? "none" : String.join(", ", d.runbooks()))));
      Div steps = new Div("Runbook steps carried out: " + (d.steps().isEmpty() ? "none" : String.join("; ", d.steps())));
      steps.setId("drill-steps");
      report.add(steps);
      report.add(new Div("Actions: " + (d.actions().isEmpty() ? "none" : String.join("; ", d.actions()))));
      comparison.setItems(c.rows());
      change.setText(c.previous().isEmpty() ? "The first run of this scenario."
          : "Against run " + c.previous().get(0).id() + ": detect " + delta(c.change("detect")) + ", acknowledge "
              + delta(c.change("acknowledge")) + ", mitigate " + delta(c.change("mitigate")) + ", recover "
              + delta(c.change("recover")) + ", score " + c.scoreChange().map(s -> (s >= 0 ? "+" : "") + s).orElse("–")
              + (c.stepsAdded().isEmpty() ? "" : "; runbook steps new this time: " + String.join("; ", c.stepsAdded()))
              + (c.stepsLeftOut().isEmpty() ? "" : "; runbook steps left out this time: "
                  + String.join("; ", c.stepsLeftOut())));
    }, () -> {
      report.add(new Span("Choose a drill in the list."));
      comparison.setItems(List.of());
      change.setText("");
    });
  }

  private static String time(Optional<Duration> time) {
    return time.map(Display::duration).orElse("–");
  }

  private static String delta(Optional<Duration> change) {
    return change.map(d -> (d.isNegative() ? "−" + Display.duration(d.negated()) : "+" + Display.duration(d)))
        .orElse("–");
  }
}
