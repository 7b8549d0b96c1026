package dev.scoville.reports.drills;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A drill beside the earlier runs of the same scenario, newest first: one row per run with its
 * four times, its score and the runbook steps it carried out, and how this run changed on the one
 * before.
 */
public record DrillComparison(DrillReport drill, List<DrillReport> previous) {

  public DrillComparison {
    previous = List.copyOf(previous);
  }

  /** A run's line in the comparison table; a time never measured is "–". */
  public record Row(long id, String startedAt, String state, String detect, String acknowledge, String mitigate,
      String recover, int score, List<String> steps) {
    public Row {
      steps = List.copyOf(steps);
    }
  }

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

  /** Runbook steps this run carried out that the previous one did not; empty without a previous run. */
  public List<String> stepsAdded() {
    return previous.isEmpty() ? List.of()
        : drill.steps().stream().filter(s -> !previous.get(0).steps().contains(s)).toList();
  }

  /** Runbook steps the previous run carried out that this one did not; empty without a previous run. */
  public List<String> stepsLeftOut() {
    return previous.isEmpty() ? List.of()
        : previous.get(0).steps().stream().filter(s -> !drill.steps().contains(s)).toList();
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
        text(run.timeToAcknowledge()), text(run.timeToMitigate()), text(run.timeToRecover()), run.score(), run.steps());
  }

  static String text(Optional<Duration> time) {
    return time.map(DrillService::format).orElse("–");
  }
}
