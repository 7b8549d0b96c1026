package dev.scoville.console;

import dev.scoville.collector.TargetHealth;
import dev.scoville.console.board.TileBoard;
import dev.scoville.console.board.TileReading;
import dev.scoville.core.SeriesReader;
import dev.scoville.rules.Incident;
import dev.scoville.rules.IncidentService;
import dev.scoville.rules.notify.ReceiverStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one board snapshot all consoles share. One thread reads it when something it shows changed:
 * the tiles when samples of a metric they read arrive (at most every {@value #COALESCE_MILLIS} ms),
 * incidents, approvals and kill switches at once when they change, and everything every few
 * seconds as time passes (a tile goes stale, ages grow). A snapshot that differs from the last one
 * is handed to every open board, which applies it in place.
 */
final class BoardFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BoardFeed.class);
  private static final long COALESCE_MILLIS = 200;
  private static final long TICK_MILLIS = 5000;
  private static final Duration SLOW_REFRESH = Duration.ofSeconds(5);
  private static final Duration RESOLVED_SHOWN = Duration.ofDays(1);

  private final TileBoard tiles;
  private final IncidentService incidents;
  private final ConsoleActions actions;
  private final Supplier<List<TargetHealth>> targets;
  private final Supplier<List<ReceiverStatus>> receivers;
  private final Clock clock;
  private final List<Consumer<BoardSnapshot>> subscribers = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "board");
    t.setDaemon(true);
    return t;
  });
  private volatile BoardSnapshot current = BoardSnapshot.EMPTY;
  private volatile boolean incidentsChanged = true;
  private final AtomicBoolean dataRefreshPending = new AtomicBoolean();
  private Instant slowReadAt = Instant.EPOCH;
  private BoardSnapshot slow = BoardSnapshot.EMPTY;

  BoardFeed(TileBoard tiles, IncidentService incidents, ConsoleActions actions, Supplier<List<TargetHealth>> targets,
      Supplier<List<ReceiverStatus>> receivers, Clock clock) {
    this.tiles = tiles;
    this.incidents = incidents;
    this.actions = actions;
    this.targets = targets;
    this.receivers = receivers;
    this.clock = clock;
  }

  /**
   * Starts reading; {@code changes} says when incidents or actions changed, to redraw at once, and
   * {@code series} when samples arrive.
   */
  void start(ConsoleFeed changes, SeriesReader series) {
    changes.subscribe(() -> {
      incidentsChanged = true;
      thread.execute(this::refresh);
    });
    // on the appending thread: only schedule, and only once per burst of appends
    series.onAppend(metricNames -> {
      if (tiles.reads(metricNames) && dataRefreshPending.compareAndSet(false, true)) {
        thread.schedule(() -> {
          dataRefreshPending.set(false);
          refresh();
        }, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
      }
    });
    thread.scheduleWithFixedDelay(this::refresh, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  BoardSnapshot current() {
    return current;
  }

  /** Tells {@code show} every new snapshot, on the board thread; returns how to stop. */
  Runnable subscribe(Consumer<BoardSnapshot> show) {
    subscribers.add(show);
    return () -> subscribers.remove(show);
  }

  private void refresh() {
    try {
      Instant now = clock.instant();
      if (incidentsChanged || !now.isBefore(slowReadAt.plus(SLOW_REFRESH))) {
        incidentsChanged = false;
        slowReadAt = now;
        slow = readSlowParts(now);
      }
      Set<String> firing = slow.open().stream().map(Incident::rule).collect(Collectors.toSet());
      List<TileReading> readings = tiles.read(now.toEpochMilli(), firing::contains);
      BoardSnapshot next = new BoardSnapshot(now, readings, slow.open(), slow.resolved(), slow.reminders(),
          slow.awaitingApproval(), slow.targets(), slow.receivers());
      if (next.differsFrom(current)) {
        current = next;
        subscribers.forEach(s -> s.accept(next));
      }
    } catch (RuntimeException e) {
      LOG.warn("The board could not be read; the consoles keep the last one: {}", e.toString());
    }
  }

  private BoardSnapshot readSlowParts(Instant now) {
    List<Incident> recent = incidents.recent(100);
    List<Incident> open = recent.stream().filter(Incident::isOpen).toList();
    List<Incident> resolved = recent.stream()
        .filter(i -> !i.isOpen() && i.resolvedAt() != null && i.resolvedAt().isAfter(now.minus(RESOLVED_SHOWN)))
        .limit(12).toList();
    Set<String> openIds = open.stream().map(i -> String.valueOf(i.id())).collect(Collectors.toSet());
    ConsoleActions.Decisions decisions = actions.decisions(openIds::contains);
    List<ReceiverStatus> failing = receivers.get().stream().filter(r -> r.state() != ReceiverStatus.State.OK).toList();
    return new BoardSnapshot(now, List.of(), open, resolved, decisions.reminders(), decisions.awaitingApproval(),
        targets.get(), failing);
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
