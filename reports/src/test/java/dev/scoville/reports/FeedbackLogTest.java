package dev.scoville.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.scoville.core.Database;
import dev.scoville.core.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Known feedback in, every figure of its summary out; kept and expired as the history is. */
class FeedbackLogTest {
  static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");

  private final Database database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  private final MutableClock clock = new MutableClock(T0.plus(Duration.ofHours(3)));
  private final FeedbackLog log = new FeedbackLog(database, clock, Duration.ofDays(15));

  @AfterEach
  void close() {
    log.close();
    database.close();
  }

  /**
   * Nine in the window 12:00–14:00 (26 points: mean 2.89, six scored 3 or less), one before it and
   * one at its end, which is not in it.
   */
  static void writeKnownFeedback(FeedbackLog log) {
    List.of(
        feedback(-1, 1, "delivery", null, "Before the window"),
        feedback(2, 5, "product", "/payment", ""),
        feedback(3, 4, "product", "/payment", ""),
        feedback(7, 2, "delivery", "/checkout", "Delivery estimate was wrong"),
        feedback(8, 1, "checkout", "/payment", "Checkout kept failing"),
        feedback(9, 3, "checkout", null, "   "),
        feedback(31, 3, "checkout", null, "Slow card form"),
        feedback(40, 2, null, "/product", "My sauce was sold out"),
        feedback(70, 5, null, null, "Great sauce"),
        feedback(110, 1, "delivery", null, ""),
        feedback(120, 1, "delivery", null, "At the window's end")).forEach(log::add);
    log.flush();
  }

  private static Feedback feedback(int minute, int score, String topic, String page, String comment) {
    return new Feedback(T0.plus(Duration.ofMinutes(minute)), "eu", score, page, topic, comment);
  }

  @Test
  void summarisesTheTrendTheLowestSubjectsAndTheRecentLowComments() {
    writeKnownFeedback(log);

    FeedbackSummary summary = log.summary(T0, T0.plus(Duration.ofHours(2)));

    assertThat(summary.count()).isEqualTo(9);
    assertThat(summary.mean()).isCloseTo(26 / 9.0, within(1e-12));
    assertThat(summary.low()).isEqualTo(6);
    assertThat(summary.bucket()).isEqualTo(Duration.ofMinutes(5));
    assertThat(summary.trend()).hasSize(24).filteredOn(p -> p.count() > 0).containsExactly(
        new FeedbackSummary.TrendPoint(T0, 2, 4.5),
        new FeedbackSummary.TrendPoint(T0.plus(Duration.ofMinutes(5)), 3, 2.0),
        new FeedbackSummary.TrendPoint(T0.plus(Duration.ofMinutes(30)), 1, 3.0),
        new FeedbackSummary.TrendPoint(T0.plus(Duration.ofMinutes(40)), 1, 2.0),
        new FeedbackSummary.TrendPoint(T0.plus(Duration.ofMinutes(70)), 1, 5.0),
        new FeedbackSummary.TrendPoint(T0.plus(Duration.ofMinutes(110)), 1, 1.0));
    assertThat(summary.trend()).filteredOn(p -> p.count() == 0).allMatch(p -> p.mean() == null);
    assertThat(summary.lowest()).containsExactly(
        new FeedbackSummary.Subject("topic: delivery", 2, 1.5),
        new FeedbackSummary.Subject("page: /product", 1, 2.0),
        new FeedbackSummary.Subject("topic: checkout", 3, 7 / 3.0),
        new FeedbackSummary.Subject("topic: product", 2, 4.5),
        new FeedbackSummary.Subject("not given", 1, 5.0));
    // scored 3 or less with words, newest first: the blank comment and the silent 1 are not comments
    assertThat(summary.comments()).extracting(Feedback::comment).containsExactly("My sauce was sold out",
        "Slow card form", "Checkout kept failing", "Delivery estimate was wrong");
    assertThat(summary.comments().get(0)).isEqualTo(feedback(40, 2, null, "/product", "My sauce was sold out"));
  }

  @Test
  void aLongWindowIsReadFromTheTableInWiderSteps() {
    writeKnownFeedback(log);

    FeedbackSummary threeDays = FeedbackLog.summary(database, T0.minus(Duration.ofDays(2)), T0.plus(Duration.ofDays(1)));

    assertThat(threeDays.bucket()).isEqualTo(Duration.ofHours(3));
    assertThat(threeDays.trend()).hasSize(24);
    assertThat(threeDays.count()).isEqualTo(11);
    assertThat(FeedbackSummary.bucket(T0, T0.plus(Duration.ofMinutes(10)))).isEqualTo(Duration.ofMinutes(1));
    assertThat(FeedbackLog.summary(database, T0.minus(Duration.ofDays(1)), T0.minus(Duration.ofHours(1))))
        .satisfies(none -> {
          assertThat(none.count()).isZero();
          assertThat(none.mean()).isNull();
          assertThat(none.lowest()).isEmpty();
          assertThat(none.comments()).isEmpty();
        });
  }

  @Test
  void forgetsFeedbackOlderThanTheRetention() {
    writeKnownFeedback(log);
    clock.advance(Duration.ofDays(15));

    // 15 days after 15:00 the rows before 15:00 go: all of them
    assertThat(log.expire()).isEqualTo(11);
    assertThat(log.summary(T0.minus(Duration.ofDays(1)), clock.instant()).count()).isZero();
  }

  @Test
  void refusesAScoreOutsideOneToFive() {
    assertThatThrownBy(() -> new Feedback(T0, "", 6, null, null, ""))
        .hasMessage("feedback score must be from 1 to 5, not 6");
  }
}
