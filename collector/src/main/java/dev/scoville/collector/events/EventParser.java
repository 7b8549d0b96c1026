package dev.scoville.collector.events;

import java.util.List;

/**
 * Reads events of the JSON event schema into {@link Event} records: the usual shape straight from
 * the bytes ({@link EventBytesReader}), anything else, and every refusal, through Jackson ({@link
 * JacksonEventReader}), so a refused event gets the same reason and message either way.
 *
 * <p>Not thread-safe (both readers reuse their scratch fields): one parser per thread or per call.
 */
final class EventParser {
  private final EventBytesReader bytes = new EventBytesReader();
  private final JacksonEventReader jackson = new JacksonEventReader();

  /** One event: a Kafka record's value. */
  Event parse(byte[] json) throws InvalidEventException {
    Event event = bytes.read(json);
    return event != null ? event : jackson.parse(json);
  }

  /** An event of a batch that was refused, by its index in the batch. */
  record Rejection(int index, InvalidEventException problem) {}

  /** What a batch yielded: the valid events in order, and the refused ones. */
  record Batch(List<Event> events, List<Rejection> rejections) {}

  /**
   * A beacon batch: a JSON array of event objects. Malformed JSON refuses the whole batch (nothing
   * half-read is applied); an invalid event refuses only itself.
   */
  Batch parseArray(byte[] json) throws InvalidEventException {
    List<Event> events = bytes.readArray(json);
    return events != null ? new Batch(events, List.of()) : jackson.parseArray(json);
  }
}
