package dev.scoville.rules.promql;

import dev.scoville.rules.promql.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splits an expression into tokens; the whole text is lexed up front so the parser can peek. */
final class Lexer {
  private static final Pattern DURATION = Pattern.compile("(?:\\d+(?:ms|[smhdwy]))+");
  private static final Pattern NUMBER =
      Pattern.compile("0[xX][0-9a-fA-F]+|(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?");
  private static final String[] OPERATORS = {
    "==", "!=", "=~", "!~", ">=", "<=", "=", ">", "<", "+", "-", "*", "/", "%", "^"
  };

  private final String text;
  private int pos;

  /** Inside brackets a colon separates subquery durations instead of starting a metric name. */
  private boolean inBrackets;

  private Lexer(String text) {
    this.text = text;
  }

  static List<Token> tokens(String text) throws PromQlException {
    Lexer lexer = new Lexer(text);
    List<Token> tokens = new ArrayList<>();
    Token t;
    do {
      t = lexer.next();
      tokens.add(t);
    } while (t.kind() != Kind.END);
    return tokens;
  }

  private Token next() throws PromQlException {
    skipSpaceAndComments();
    int start = pos;
    if (pos >= text.length()) {
      return new Token(Kind.END, "", start + 1);
    }
    char c = text.charAt(pos);
    if (isIdentifierStart(c) && !(inBrackets && c == ':')) {
      while (pos < text.length() && isIdentifierPart(text.charAt(pos))) {
        pos++;
      }
      return new Token(Kind.IDENTIFIER, text.substring(start, pos), start + 1);
    }
    if (Character.isDigit(c)
        || (c == '.' && pos + 1 < text.length() && Character.isDigit(text.charAt(pos + 1)))) {
      return numberOrDuration();
    }
    if (c == '"' || c == '\'' || c == '`') {
      return string(c);
    }
    Kind single =
        switch (c) {
          case '(' -> Kind.LEFT_PAREN;
          case ')' -> Kind.RIGHT_PAREN;
          case '{' -> Kind.LEFT_BRACE;
          case '}' -> Kind.RIGHT_BRACE;
          case '[' -> Kind.LEFT_BRACKET;
          case ']' -> Kind.RIGHT_BRACKET;
          case ',' -> Kind.COMMA;
          case ':' -> Kind.COLON;
          case '@' -> Kind.AT;
          default -> null;
        };
    if (single != null) {
      pos++;
      inBrackets = single == Kind.LEFT_BRACKET || (inBrackets && single != Kind.RIGHT_BRACKET);
      return new Token(single, String.valueOf(c), start + 1);
    }
    for (String op : OPERATORS) {
      if (text.startsWith(op, pos)) {
        pos += op.length();
        return new Token(Kind.OPERATOR, op, start + 1);
      }
    }
    throw new PromQlException(start + 1, "unexpected character '" + c + "'");
  }

  private void skipSpaceAndComments() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (c == '#') {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  private Token numberOrDuration() throws PromQlException {
    int start = pos;
    Matcher duration = DURATION.matcher(text).region(pos, text.length());
    Matcher number = NUMBER.matcher(text).region(pos, text.length());
    Kind kind;
    if (duration.lookingAt()) {
      pos = duration.end();
      kind = Kind.DURATION;
    } else if (number.lookingAt()) {
      pos = number.end();
      kind = Kind.NUMBER;
    } else {
      throw new PromQlException(start + 1, "bad number");
    }
    if (pos < text.length() && isIdentifierPart(text.charAt(pos)) && text.charAt(pos) != ':') {
      throw new PromQlException(
          start + 1, "bad number or duration \"" + text.substring(start, pos + 1) + "\"");
    }
    return new Token(kind, text.substring(start, pos), start + 1);
  }

  private Token string(char quote) throws PromQlException {
    int start = pos++;
    StringBuilder sb = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == quote) {
        return new Token(Kind.STRING, sb.toString(), start + 1);
      }
      if (c == '\\' && quote != '`') {
        sb.append(escape(start));
      } else if (c == '\n' && quote != '`') {
        break;
      } else {
        sb.append(c);
      }
    }
    throw new PromQlException(start + 1, "unterminated string");
  }

  /** Go's escapes, as PromQL strings use them; pos is just after the backslash. */
  private String escape(int stringStart) throws PromQlException {
    if (pos >= text.length()) {
      throw new PromQlException(stringStart + 1, "unterminated string");
    }
    char c = text.charAt(pos++);
    return switch (c) {
      case 'n' -> "\n";
      case 't' -> "\t";
      case 'r' -> "\r";
      case 'a' -> "\u0007";
      case 'b' -> "\b";
      case 'f' -> "\f";
      case 'v' -> "\u000b";
      case '\\', '"', '\'' -> String.valueOf(c);
      case 'u' -> codePoint(4);
      case 'U' -> codePoint(8);
      case 'x' -> codePoint(2);
      default -> throw new PromQlException(pos - 1, "unknown escape sequence \\" + c);
    };
  }

  private String codePoint(int digits) throws PromQlException {
    if (pos + digits > text.length()) {
      throw new PromQlException(pos, "bad escape sequence");
    }
    try {
      int cp = Integer.parseInt(text.substring(pos, pos + digits), 16);
      pos += digits;
      return new String(Character.toChars(cp));
    } catch (IllegalArgumentException e) {
      throw new PromQlException(pos, "bad escape sequence");
    }
  }

  private static boolean isIdentifierStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  }

  private static boolean isIdentifierPart(char c) {
    return isIdentifierStart(c) || (c >= '0' && c <= '9');
  }
}
