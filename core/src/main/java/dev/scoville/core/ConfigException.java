package dev.scoville.core;

/** A configuration problem, its message naming the place ({@code file:line:column: reason}). */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
