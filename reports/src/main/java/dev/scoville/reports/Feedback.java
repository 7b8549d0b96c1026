package dev.scoville.reports;

import java.time.Instant;

/**
 * One customer's feedback as the shop sent it: a score from 1 to 5, and optionally a comment and
 * the page or topic it is about.
 *
 * @param shop "" when the event names none
 * @param page the page the survey asked on, or null
 * @param topic the topic the customer picked, or null
 * @param comment "" when none was written
 */
public record Feedback(Instant at, String shop, int score, String page, String topic, String comment) {
  public Feedback {
    if (score < 1 || score > 5) {
      throw new IllegalArgumentException("feedback score must be from 1 to 5, not " + score);
    }
    shop = shop == null ? "" : shop;
    page = blankToNull(page);
    topic = blankToNull(topic);
    comment = comment == null ? "" : comment.strip();
  }

  /** What the report groups it by: its topic, or else its page, or else "not given". */
  public String subject() {
    return subject(page, topic);
  }

  static String subject(String page, String topic) {
    return topic != null && !topic.isBlank() ? "topic: " + topic.strip()
        : page != null && !page.isBlank() ? "page: " + page.strip() : "not given";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
