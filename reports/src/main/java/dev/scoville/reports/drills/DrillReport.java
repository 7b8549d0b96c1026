package dev.scoville.reports.drills;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One drill as recorded: the scenario, who started it and when, the moments it measured (null
 * until they happen), the incidents it opened, the runbooks, runbook steps and actions used, and
 * its score against the targets it ran under.
 *
 * @param outcome how it ended, in words; null while it runs
 * @param steps the runbook steps carried out, {@code <runbook> › <step>}, in the order first used
 * @param actions the actions run, one line each: {@code name by who at time (outcome)}
 */
public record DrillReport(
    long id,
    String scenario,
    double speed,
    String startedBy,
    Instant startedAt,
    Instant scenarioEndsAt,
    State state,
    Instant finishedAt,
    String outcome,
    Instant detectedAt,
    Instant acknowledgedAt,
    Instant mitigatedAt,
    Instant recoveredAt,
    DrillsConfig.Targets targets,
    List<Long> incidents,
    List<String> runbooks,
    List<String> steps,
    List<String> actions) {

  public DrillReport {
    incidents = List.copyOf(incidents);
    runbooks = List.copyOf(runbooks);
    steps = List.copyOf(steps);
    actions = List.copyOf(actions);
  }

  public enum State {
    RUNNING,
    /** Its incidents opened and were all resolved after the scenario ended. */
    FINISHED,
    /** Stopped by a person before it finished. */
    STOPPED,
    /** Still unresolved, or never detected, {@code drills.timeout} after the scenario ended. */
    TIMED_OUT
  }

  /** One measured time against its target; {@code measured} is empty when it never happened. */
  public record Result(String measure, Optional<Duration> measured, Duration target) {
    public boolean met() {
      return measured.isPresent() && measured.get().compareTo(target) <= 0;
    }
  }

  /** Detect, acknowledge, mitigate and recover, each timed from the drill's start. */
  public List<Result> results() {
    return List.of(
        new Result("detect", since(detectedAt), targets.detect()),
        new Result("acknowledge", since(acknowledgedAt), targets.acknowledge()),
        new Result("mitigate", since(mitigatedAt), targets.mitigate()),
        new Result("recover", since(recoveredAt), targets.recover()));
  }

  /** Out of 100: 25 for each target met; a time never measured meets nothing. */
  public int score() {
    return (int) results().stream().filter(Result::met).count() * 25;
  }

  public Optional<Duration> timeToDetect() {
    return since(detectedAt);
  }

  public Optional<Duration> timeToAcknowledge() {
    return since(acknowledgedAt);
  }

  public Optional<Duration> timeToMitigate() {
    return since(mitigatedAt);
  }

  public Optional<Duration> timeToRecover() {
    return since(recoveredAt);
  }

  private Optional<Duration> since(Instant moment) {
    return Optional.ofNullable(moment).map(m -> Duration.between(startedAt, m));
  }
}
