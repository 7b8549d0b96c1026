package dev.scoville.console;

import dev.scoville.collector.TargetHealth;
import dev.scoville.rules.Incident;
import dev.scoville.shop.PagerDutySink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Everything the board shows, read in one go off the UI thread. */
record BoardSnapshot(List<Incident> incidents, List<TargetHealth> targets, List<PagerDutySink.ReceivedEvent> pages) {

  static BoardSnapshot load(ConsoleServices services) {
    List<PagerDutySink.ReceivedEvent> pages = services.pagerDutySink()
        .map(sink -> newestFirst(sink.received()))
        .orElse(List.of());
    return new BoardSnapshot(services.incidents().recent(50), services.targets().get(), pages);
  }

  private static List<PagerDutySink.ReceivedEvent> newestFirst(List<PagerDutySink.ReceivedEvent> events) {
    List<PagerDutySink.ReceivedEvent> newest = new ArrayList<>(events.subList(Math.max(0, events.size() - 20), events.size()));
    Collections.reverse(newest);
    return newest;
  }
}
