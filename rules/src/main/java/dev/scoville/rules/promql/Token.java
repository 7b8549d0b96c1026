package dev.scoville.rules.promql;

/** A lexeme with its 1-based column; {@code text} holds the decoded value of strings. */
record Token(Kind kind, String text, int column) {

  enum Kind {
    IDENTIFIER,
    NUMBER,
    DURATION,
    STRING,
    LEFT_PAREN,
    RIGHT_PAREN,
    LEFT_BRACE,
    RIGHT_BRACE,
    LEFT_BRACKET,
    RIGHT_BRACKET,
    COMMA,
    COLON,
    AT,
    /** Operators and matcher symbols; {@code text} says which. */
    OPERATOR,
    END
  }

  boolean is(Kind k, String t) {
    return kind == k && text.equals(t);
  }

  boolean isOperator(String symbol) {
    return is(Kind.OPERATOR, symbol);
  }

  /** Keywords (by, offset, and…) are case-insensitive identifiers in PromQL. */
  boolean isKeyword(String keyword) {
    return kind == Kind.IDENTIFIER && text.equalsIgnoreCase(keyword);
  }

  String describe() {
    return switch (kind) {
      case END -> "end of expression";
      case STRING -> "string \"" + text + "\"";
      default -> "\"" + text + "\"";
    };
  }
}
