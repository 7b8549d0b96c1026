package dev.scoville.console;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import dev.scoville.console.board.Tile;
import dev.scoville.core.SeriesReader;
import dev.scoville.reports.FeedbackLog;
import dev.scoville.reports.FollowUps;
import dev.scoville.reports.ReportPlan;
import dev.scoville.reports.drills.DrillService;
import dev.scoville.rules.IncidentService;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the console's views may use. Vaadin instantiates views itself, so the running application
 * leaves its services here for them to pick up.
 */
record ConsoleServices(
    IncidentService incidents,
    SignIn signIn,
    ConsoleFeed feed,
    BoardFeed board,
    List<Tile> tiles,
    ExecutorService workers,
    ConsoleActions actions,
    SeriesReader series,
    Supplier<SeriesReader> reportSeries,
    Clock clock,
    Function<String, Optional<String>> ruleExpression,
    ReportPlan reportPlan,
    FollowUps followUps,
    FeedbackLog feedback,
    DrillService drills) {

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleServices.class);
  private static final AtomicReference<ConsoleServices> CURRENT = new AtomicReference<>();

  static void install(ConsoleServices services) {
    CURRENT.set(services);
  }

  /**
   * Runs blocking {@code work} on a worker and hands its result to {@code show} inside {@code
   * UI.access}; a failure is shown to the person instead of vanishing in the pool.
   */
  <T> void inBackground(UI ui, Callable<T> work, Consumer<T> show) {
    workers.submit(() -> {
      try {
        T result = work.call();
        ui.access(() -> show.accept(result));
      } catch (Exception e) {
        LOG.warn("Console work failed", e);
        ui.access(() -> Notification.show("Failed: " + e.getMessage(), 8000, Notification.Position.MIDDLE)
            .addThemeVariants(NotificationVariant.LUMO_ERROR));
      }
    });
  }

  static ConsoleServices get() {
    ConsoleServices services = CURRENT.get();
    if (services == null) {
      throw new IllegalStateException("the application has not started");
    }
    return services;
  }
}
