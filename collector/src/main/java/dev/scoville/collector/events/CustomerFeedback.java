package dev.scoville.collector.events;

/**
 * A {@code feedback} event as accepted from any source, for whoever keeps feedback with its
 * comments (the series keep only the mean score).
 *
 * @param comment "" when none was written
 * @param page the page the survey asked on, "" when not given
 * @param topic the topic the customer picked, "" when not given
 */
public record CustomerFeedback(String shop, long timeMillis, int score, String comment, String page, String topic) {}
