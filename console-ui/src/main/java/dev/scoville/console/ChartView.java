package dev.scoville.console;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Main;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.scoville.console.board.RuleChart;
import dev.scoville.console.board.Trend;
import dev.scoville.core.ValueFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One expression charted over the last hour, live: where a runbook's "open the series" links
 * ({@code [text](<query:expr>)}) lead.
 */
@Route("chart")
@PageTitle("Chart · Scoville")
public class ChartView extends VerticalLayout implements BeforeEnterObserver {
  private static final Duration SPAN = Duration.ofHours(1);

  private final ConsoleServices services = ConsoleServices.get();
  private final Pre expression = new Pre();
  private final Div now = new Div();
  private final TrendChart chart = new TrendChart(320, "the expression", false);
  private Optional<RuleChart> query = Optional.empty();
  private Runnable unsubscribe = () -> {};
  private long lastRead;

  public ChartView() {
    addClassName("page");
    expression.setId("chart-expression");
    now.setId("chart-now");
    now.addClassName("incident-now");
    chart.setId("chart");
    add(new ConsoleNav("Chart"), new Main(new H2("The last hour"), expression, now, chart));
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    String text = event.getLocation().getQueryParameters().getSingleParameter("query").orElse("");
    expression.setText(text);
    query = RuleChart.of(text);
    if (query.isEmpty()) {
      now.setText("This is not a PromQL expression Scoville reads.");
    }
  }

  @Override
  protected void onAttach(AttachEvent event) {
    UI ui = event.getUI();
    unsubscribe = services.board().subscribe(snapshot -> {
      if (snapshot.at().toEpochMilli() - lastRead >= 5000) {
        read(ui);
      }
    });
    read(ui);
  }

  @Override
  protected void onDetach(DetachEvent event) {
    unsubscribe.run();
  }

  private void read(UI ui) {
    query.ifPresent(q -> {
      lastRead = services.clock().millis();
      Instant at = services.clock().instant();
      services.inBackground(ui, () -> new Reading(q.read(services.series(), at.minus(SPAN).toEpochMilli(),
          at.toEpochMilli(), 120), q.now(services.series(), at.toEpochMilli()).stream()
          .map(s -> ValueFormat.format(s.value(), "")).toList()), reading -> {
            now.setText(reading.values().isEmpty() ? "No series answers it now."
                : "Now: " + String.join(", ", reading.values()) + " · read " + Display.clock(at));
            chart.show(reading.trend(), q.threshold() == null ? List.of() : List.of(q.threshold()), List.of(), "",
                List.of());
          });
    });
  }

  private record Reading(Trend trend, List<String> values) {}
}
