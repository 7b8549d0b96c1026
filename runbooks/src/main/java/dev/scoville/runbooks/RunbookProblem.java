package dev.scoville.runbooks;

/** Something wrong in a runbook file, printed as {@code file:line: reason}. */
public record RunbookProblem(String source, int line, String reason) {
  @Override
  public String toString() {
    return source + ":" + line + ": " + reason;
  }
}
