package dev.scoville.rules.promql;

/** What an expression evaluates to, checked while parsing as Prometheus does. */
enum ValueType {
  SCALAR("scalar"),
  INSTANT_VECTOR("instant vector"),
  RANGE_VECTOR("range vector"),
  STRING("string");

  private final String description;

  ValueType(String description) {
    this.description = description;
  }

  @Override
  public String toString() {
    return description;
  }
}
