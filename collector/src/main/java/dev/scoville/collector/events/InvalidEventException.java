package dev.scoville.collector.events;

/**
 * Why an event was refused. {@code reason} is a short label for the rejection counter ({@code
 * missing_session}, {@code invalid_load_ms}, {@code unknown_type}, …: bounded, since only the
 * schema's fields are named); the message names the field for people.
 */
final class InvalidEventException extends Exception {
  private final String reason;

  InvalidEventException(String reason, String message) {
    // Bad events are expected input, not bugs: a stack trace per event would cost more than the
    // parse.
    super(message, null, false, false);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}
