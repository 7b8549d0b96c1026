package dev.scoville.rules.template;

import dev.scoville.rules.promql.GoFloat;
import java.util.List;
import java.util.Locale;

/** Go's {@code fmt.Sprintf} for the verbs alert templates use: v s q d f F e E g G x X t and %%. */
final class GoPrintf {
  private GoPrintf() {}

  static String sprintf(String format, List<Object> args) {
    StringBuilder out = new StringBuilder();
    int next = 0;
    int i = 0;
    while (i < format.length()) {
      char c = format.charAt(i++);
      if (c != '%') {
        out.append(c);
        continue;
      }
      boolean minus = false;
      boolean plus = false;
      boolean zero = false;
      boolean space = false;
      while (i < format.length() && "-+# 0".indexOf(format.charAt(i)) >= 0) {
        switch (format.charAt(i++)) {
          case '-' -> minus = true;
          case '+' -> plus = true;
          case '0' -> zero = true;
          case ' ' -> space = true;
          default -> { }
        }
      }
      int width = -1;
      while (i < format.length() && Character.isDigit(format.charAt(i))) {
        width = Math.max(width, 0) * 10 + format.charAt(i++) - '0';
      }
      int precision = -1;
      if (i < format.length() && format.charAt(i) == '.') {
        i++;
        precision = 0;
        while (i < format.length() && Character.isDigit(format.charAt(i))) {
          precision = precision * 10 + format.charAt(i++) - '0';
        }
      }
      if (i >= format.length()) {
        out.append("%!(NOVERB)");
        break;
      }
      char verb = format.charAt(i++);
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (next >= args.size()) {
        out.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      Object arg = args.get(next++);
      String text = verb(verb, arg, precision, plus, space);
      // Go pads infinities and NaN with spaces, never zeros.
      boolean numeric = arg instanceof Double d ? Double.isFinite(d) : arg instanceof Long;
      out.append(pad(text, width, minus, zero && numeric && !minus));
    }
    if (next < args.size()) {
      out.append("%!(EXTRA ");
      for (int a = next; a < args.size(); a++) {
        out.append(a > next ? ", " : "").append(GoValues.typeName(args.get(a))).append('=')
            .append(GoValues.print(args.get(a)));
      }
      out.append(')');
    }
    return out.toString();
  }

  private static String verb(char verb, Object arg, int precision, boolean plus, boolean space) {
    switch (verb) {
      case 'v':
        return arg instanceof Double d ? sign(GoFloat.format(d, 'g', precision), plus, space)
            : GoValues.print(arg);
      case 's':
        return arg instanceof String s ? (precision >= 0 && precision < s.length() ? s.substring(0, precision) : s)
            : bad(verb, arg);
      case 'q':
        return arg instanceof String s ? quote(s) : bad(verb, arg);
      case 't':
        return arg instanceof Boolean b ? b.toString() : bad(verb, arg);
      case 'd':
        return arg instanceof Long l ? sign(Long.toString(l), plus, space) : bad(verb, arg);
      case 'x', 'X': {
        String hex;
        if (arg instanceof Long l) {
          hex = l < 0 ? "-" + Long.toHexString(-l) : Long.toHexString(l);
        } else if (arg instanceof String s) {
          StringBuilder sb = new StringBuilder();
          for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            sb.append(String.format("%02x", b));
          }
          hex = sb.toString();
        } else {
          return bad(verb, arg);
        }
        return verb == 'X' ? hex.toUpperCase(Locale.ROOT) : hex;
      }
      case 'f', 'F', 'e', 'E', 'g', 'G': {
        if (!(arg instanceof Double d)) {
          return bad(verb, arg);
        }
        char format = Character.toLowerCase(verb);
        int p = precision >= 0 ? precision : format == 'g' ? -1 : 6;
        String text = sign(GoFloat.format(d, format, p), plus, space);
        return Character.isUpperCase(verb) && verb != 'F' ? text.toUpperCase(Locale.ROOT) : text;
      }
      default:
        return bad(verb, arg);
    }
  }

  private static String sign(String text, boolean plus, boolean space) {
    if (text.startsWith("-") || text.startsWith("+")) {
      return text;
    }
    return plus ? "+" + text : space ? " " + text : text;
  }

  private static String bad(char verb, Object arg) {
    return "%!" + verb + "(" + GoValues.typeName(arg) + "=" + GoValues.print(arg) + ")";
  }

  private static String pad(String text, int width, boolean left, boolean zeros) {
    if (width <= text.length()) {
      return text;
    }
    String fill = String.valueOf(zeros ? '0' : ' ').repeat(width - text.length());
    if (left) {
      return text + fill;
    }
    if (zeros && (text.startsWith("-") || text.startsWith("+"))) {
      return text.charAt(0) + fill + text.substring(1);
    }
    return fill + text;
  }

  /** Go's strconv.Quote for the characters alert text holds. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
