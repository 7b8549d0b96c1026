package dev.scoville.console;

import dev.scoville.collector.TargetHealth;
import dev.scoville.rules.IncidentService;
import dev.scoville.shop.PagerDutySink;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What the console's views may use. Vaadin instantiates views itself, so the running application
 * leaves its services here for them to pick up.
 */
record ConsoleServices(
    IncidentService incidents,
    Supplier<List<TargetHealth>> targets,
    Optional<PagerDutySink> pagerDutySink,
    Users users,
    ConsoleFeed feed,
    ExecutorService workers) {

  private static final AtomicReference<ConsoleServices> CURRENT = new AtomicReference<>();

  static void install(ConsoleServices services) {
    CURRENT.set(services);
  }

  static ConsoleServices get() {
    ConsoleServices services = CURRENT.get();
    if (services == null) {
      throw new IllegalStateException("the application has not started");
    }
    return services;
  }
}
