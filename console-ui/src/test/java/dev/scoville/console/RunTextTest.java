package dev.scoville.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.contingency.ActionRun;
import dev.scoville.contingency.Actor;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunTextTest {
  private static final Instant AT = Instant.parse("2026-11-23T12:00:00Z");

  @Test
  void saysWhoDidWhatWithWhichOutcomeAndWhy() {
    ActionRun run = run(12, ActionRun.Kind.RUN, false, ActionRun.Outcome.SUCCEEDED, null, 13L);

    assertThat(RunText.summary(run))
        .startsWith("#12 backup-payment-provider · succeeded · alice (commander) at ")
        .endsWith(" · rolled back by #13 — flag payment-provider changed");
  }

  @Test
  void namesTheRunARollbackUndoes() {
    ActionRun rollback = run(13, ActionRun.Kind.ROLLBACK, false, ActionRun.Outcome.SUCCEEDED, 12L, null);

    assertThat(RunText.summary(rollback)).startsWith("#13 rollback of #12 backup-payment-provider · succeeded");
  }

  @Test
  void callsAPreviewADryRun() {
    ActionRun dryRun = run(14, ActionRun.Kind.RUN, true, ActionRun.Outcome.DRY_RUN, null, null);

    assertThat(RunText.summary(dryRun)).startsWith("#14 backup-payment-provider · dry run · alice");
    assertThat(RunText.outcome(ActionRun.Outcome.AWAITING_APPROVAL)).isEqualTo("awaiting approval");
  }

  private static ActionRun run(long id, ActionRun.Kind kind, boolean dryRun, ActionRun.Outcome outcome, Long rollbackOf,
      Long rolledBackBy) {
    return new ActionRun(id, "backup-payment-provider", kind, "alice", Actor.Role.COMMANDER, AT, "7", null, null,
        Map.of(), null, dryRun, null, null, null, outcome, "flag payment-provider changed", AT, rollbackOf,
        rolledBackBy, null);
  }
}
