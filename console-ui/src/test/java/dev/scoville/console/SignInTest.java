package dev.scoville.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Guessing slowed down and stopped, then allowed again; the clock is the test's, nobody sleeps. */
class SignInTest {
  private final TestClock clock = new TestClock();
  private final SignIn signIn = new SignIn(new Users(List.of(
      new ConsoleConfig.User("alice", "right", "commander"),
      new ConsoleConfig.User("bob", "bobs", "responder"))), clock);

  @Test
  void threeFreeFailuresThenADoublingWaitDuringWhichEvenTheRightPasswordIsRefused() {
    for (int i = 0; i < 2; i++) {
      assertThat(signIn.attempt("alice", "wrong", "10.0.0.1", SignIn.Via.API)).isInstanceOf(SignIn.Refused.class);
    }
    assertThat(signIn.attempt("alice", "wrong", "10.0.0.1", SignIn.Via.API)).isInstanceOf(SignIn.Refused.class);

    assertThat(signIn.attempt("alice", "right", "10.0.0.1", SignIn.Via.API))
        .isEqualTo(new SignIn.Throttled(Duration.ofSeconds(1)));
    clock.advance(Duration.ofSeconds(1));
    assertThat(signIn.attempt("alice", "wrong", "10.0.0.1", SignIn.Via.API)).isInstanceOf(SignIn.Refused.class);
    assertThat(signIn.attempt("alice", "right", "10.0.0.1", SignIn.Via.API))
        .isEqualTo(new SignIn.Throttled(Duration.ofSeconds(2)));
    clock.advance(Duration.ofSeconds(2));

    assertThat(signIn.attempt("alice", "right", "10.0.0.1", SignIn.Via.API))
        .isEqualTo(new SignIn.SignedIn(new Users.Person("alice", "commander")));
    assertThat(signIn.attempt("alice", "wrong", "10.0.0.1", SignIn.Via.API))
        .as("a success starts the count again").isInstanceOf(SignIn.Refused.class);
  }

  @Test
  void tenFailuresLockTheNameOutForFifteenMinutesFromAnyAddressThenItIsLifted() {
    for (int i = 0; i < 10; i++) {
      assertThat(signIn.attempt("alice", "guess" + i, "10.0.0." + i, SignIn.Via.CONSOLE))
          .isInstanceOf(SignIn.Refused.class);
      clock.advance(Duration.ofMinutes(2));
    }
    clock.advance(Duration.ofMinutes(-2));

    assertThat(signIn.attempt("alice", "right", "192.168.1.1", SignIn.Via.CONSOLE))
        .isEqualTo(new SignIn.Throttled(Duration.ofMinutes(15)));
    assertThat(signIn.attempt("bob", "bobs", "192.168.1.1", SignIn.Via.CONSOLE))
        .as("another person is not locked out").isInstanceOf(SignIn.SignedIn.class);
    clock.advance(Duration.ofMinutes(15));

    assertThat(signIn.attempt("alice", "right", "192.168.1.1", SignIn.Via.CONSOLE)).isInstanceOf(SignIn.SignedIn.class);
  }

  @Test
  void oneAddressTryingManyNamesIsThrottledToo() {
    for (int i = 0; i < 10; i++) {
      assertThat(signIn.attempt("user" + i, "x", "10.9.9.9", SignIn.Via.API)).isInstanceOf(SignIn.Refused.class);
    }

    assertThat(signIn.attempt("bob", "bobs", "10.9.9.9", SignIn.Via.API)).isInstanceOf(SignIn.Throttled.class);
    assertThat(signIn.attempt("bob", "bobs", "10.1.1.1", SignIn.Via.API)).isInstanceOf(SignIn.SignedIn.class);
  }

  @Test
  void failuresAreCountedForPrometheusByWayInAndReason() {
    double before = failures("console", "wrong_password");
    double throttledBefore = failures("console", "throttled");
    for (int i = 0; i < 4; i++) {
      signIn.attempt("bob", "nope", "10.2.2.2", SignIn.Via.CONSOLE);
    }

    assertThat(failures("console", "wrong_password") - before).isEqualTo(3);
    assertThat(failures("console", "throttled") - throttledBefore).isEqualTo(1);
  }

  @Test
  void aNameIsLoggedQuotedAndCutShortWithNothingThatCouldForgeALine() {
    assertThat(SignIn.printable("eve\n2026-11-30 INFO all fine")).isEqualTo("'eve\\u000a2026-11-30 INFO all fine'");
    assertThat(SignIn.printable("x".repeat(100))).isEqualTo("'" + "x".repeat(64) + "…'");
    assertThat(SignIn.printable(null)).isEqualTo("(none)");
  }

  private static double failures(String via, String reason) {
    Double value = CollectorRegistry.defaultRegistry.getSampleValue("scoville_signin_failures_total",
        new String[] {"via", "reason"}, new String[] {via, reason});
    return value == null ? 0 : value;
  }

  static final class TestClock extends Clock {
    private Instant now = Instant.parse("2026-11-30T12:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
