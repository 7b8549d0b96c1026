package dev.scoville.reports.drills;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A drill beside the earlier runs of the same scenario, newest first: one row per run with its
 * four times and its score, and how this run changed on the one before.
 */
public record DrillComparison(DrillReport drill, List<DrillReport> previous) {

  public DrillComparison {
    previous = List.copyOf(previous);
  }

  /** A run's line in the comparison table; a time never measured is "–". */
  public record Row(long id, String startedAt, String state, String detect, String acknowledge, String mitigate,
      String recover, int score) {}

  /** This run first, then the earlier ones, newest first. */
  public List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    rows.add(row(drill));
    previous.forEach(run -> rows.add(row(run)));
    return rows;
  }

  /**
   * This run's time for {@code measure} (detect, acknowledge, mitigate, recover) minus the
   * previous run's: negative is faster. Empty without a previous run or a time in either.
   */
  public Optional<Duration> change(String measure) {
    if (previous.isEmpty()) {
      return Optional.empty();
    }
    Optional<Duration> now = time(drill, measure);
    Optional<Duration> before = time(previous.get(0), measure);
    return now.isPresent() && before.isPresent() ? Optional.of(now.get().minus(before.get())) : Optional.empty();
  }

  /** The score's change on the previous run, in points; empty without one. */
  public Optional<Integer> scoreChange() {
    return previous.isEmpty() ? Optional.empty() : Optional.of(drill.score() - previous.get(0).score());
  }

  private static Optional<Duration> time(DrillReport run, String measure) {
    return run.results().stream().filter(r -> r.measure().equals(measure)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no measure " + measure)).measured();
  }

  private static Row row(DrillReport run) {
    return new Row(run.id(), run.startedAt().toString(), run.state().name().toLowerCase(), text(run.timeToDetect()),
        text(run.timeToAcknowledge()), text(run.timeToMitigate()), text(run.timeToRecover()), run.score());
  }

  static String text(Optional<Duration> time) {
    return time.map(DrillService::format).orElse("–");
  }
}
