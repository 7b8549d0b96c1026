package dev.scoville.rules.template;

import dev.scoville.core.PrometheusDuration;
import dev.scoville.rules.promql.GoFloat;
import dev.scoville.rules.promql.GoRegexp;
import dev.scoville.rules.promql.VectorSample;
import dev.scoville.rules.template.AlertTemplate.ExecutionException;
import dev.scoville.rules.template.AlertTemplate.QuerySample;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Go's template built-ins and Prometheus's template functions, as Prometheus 2.42 defines them. */
final class TemplateFunctions {
  static final Set<String> NAMES = Set.of(
      "and", "or", "not", "len", "index", "print", "printf", "println", "eq", "ne", "lt", "le", "gt", "ge",
      "query", "first", "label", "value", "strvalue", "sortByLabel", "args",
      "humanize", "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp",
      "title", "toUpper", "toLower", "reReplaceAll", "match", "stripPort", "stripDomain", "safeHtml",
      "parseDuration", "externalURL", "pathPrefix", "graphLink", "tableLink");

  private static final String[] BIG_PREFIXES = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
  private static final String[] SMALL_PREFIXES = {"m", "u", "n", "p", "f", "a", "z", "y"};
  private static final String[] BINARY_PREFIXES = {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};
  private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

  private TemplateFunctions() {}

  static Object call(String name, List<Object> args, TemplateData data) throws ExecutionException {
    try {
      return switch (name) {
        case "not" -> !GoValues.truth(one(name, args));
        case "len" -> length(one(name, args));
        case "index" -> index(args);
        case "print" -> print(args, false);
        case "println" -> print(args, true);
        case "printf" -> GoPrintf.sprintf(string(name, at(name, args, 0)), args.subList(1, args.size()));
        case "eq", "ne", "lt", "le", "gt", "ge" -> compare(name, args);
        case "query" -> query(string(name, one(name, args)), data);
        case "first" -> first(one(name, args));
        case "label" -> sample(name, at(name, args, 1)).labels().getOrDefault(string(name, args.get(0)), "");
        case "value" -> sample(name, one(name, args)).value();
        case "strvalue" -> sample(name, one(name, args)).labels().getOrDefault("__value__", "");
        case "sortByLabel" -> sortByLabel(string(name, at(name, args, 1)), args.get(1));
        case "args" -> arguments(args);
        case "humanize" -> humanize(toFloat(one(name, args)));
        case "humanize1024" -> humanize1024(toFloat(one(name, args)));
        case "humanizeDuration" -> humanizeDuration(toFloat(one(name, args)));
        case "humanizePercentage" -> GoFloat.format(toFloat(one(name, args)) * 100, 'g', 4) + "%";
        case "humanizeTimestamp" -> humanizeTimestamp(toFloat(one(name, args)));
        case "title" -> title(string(name, one(name, args)));
        case "toUpper" -> string(name, one(name, args)).toUpperCase(Locale.ROOT);
        case "toLower" -> string(name, one(name, args)).toLowerCase(Locale.ROOT);
        case "reReplaceAll" -> replaceAll(string(name, args.get(0)), string(name, args.get(1)),
            string(name, at(name, args, 2)));
        case "match" -> regexp(string(name, args.get(0))).matcher(string(name, at(name, args, 1))).find();
        case "stripPort" -> stripPort(string(name, one(name, args)));
        case "stripDomain" -> stripDomain(string(name, one(name, args)));
        case "safeHtml" -> string(name, one(name, args));
        case "parseDuration" -> PrometheusDuration.parse(string(name, one(name, args))).toMillis() / 1000.0;
        case "externalURL" -> data.externalUrl();
        case "pathPrefix" -> "";
        case "graphLink" -> link(string(name, one(name, args)), 0);
        case "tableLink" -> link(string(name, one(name, args)), 1);
        default -> throw new ExecutionException("function \"" + name + "\" not defined");
      };
    } catch (IllegalArgumentException e) {
      throw new ExecutionException("error calling " + name + ": " + e.getMessage());
    }
  }

  private static Object one(String name, List<Object> args) throws ExecutionException {
    if (args.size() != 1) {
      throw new ExecutionException("wrong number of args for " + name + ": want 1 got " + args.size());
    }
    return args.get(0);
  }

  private static Object at(String name, List<Object> args, int last) throws ExecutionException {
    if (args.size() != last + 1 && !(name.equals("printf") && !args.isEmpty())) {
      throw new ExecutionException("wrong number of args for " + name + ": want " + (last + 1) + " got " + args.size());
    }
    return args.get(last);
  }

  private static String string(String name, Object value) throws ExecutionException {
    if (value instanceof String s) {
      return s;
    }
    throw new ExecutionException("error calling " + name + ": wrong type for value; expected string; got "
        + GoValues.typeName(value));
  }

  private static QuerySample sample(String name, Object value) throws ExecutionException {
    if (value instanceof QuerySample s) {
      return s;
    }
    throw new ExecutionException("error calling " + name + ": wrong type for value; expected *template.sample; got "
        + GoValues.typeName(value));
  }

  /** Prometheus's convertToFloat. */
  static double toFloat(Object value) throws ExecutionException {
    if (value instanceof Double d) {
      return d;
    }
    if (value instanceof Long l) {
      return l;
    }
    if (value instanceof String s) {
      try {
        return switch (s) {
          case "Inf", "+Inf", "inf", "+inf" -> Double.POSITIVE_INFINITY;
          case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
          case "NaN", "nan" -> Double.NaN;
          default -> Double.parseDouble(s);
        };
      } catch (NumberFormatException e) {
        throw new ExecutionException("strconv.ParseFloat: parsing \"" + s + "\": invalid syntax");
      }
    }
    throw new ExecutionException("can't convert " + GoValues.typeName(value) + " to float");
  }

  static String humanize(double v) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFloat.format(v, 'g', 4);
    }
    String prefix = "";
    if (Math.abs(v) >= 1) {
      for (String p : BIG_PREFIXES) {
        if (Math.abs(v) < 1000) {
          break;
        }
        prefix = p;
        v /= 1000;
      }
    } else {
      for (String p : SMALL_PREFIXES) {
        if (Math.abs(v) >= 1) {
          break;
        }
        prefix = p;
        v *= 1000;
      }
    }
    return GoFloat.format(v, 'g', 4) + prefix;
  }

  static String humanize1024(double v) {
    if (Math.abs(v) <= 1 || Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFloat.format(v, 'g', 4);
    }
    String prefix = "";
    for (String p : BINARY_PREFIXES) {
      if (Math.abs(v) < 1024) {
        break;
      }
      prefix = p;
      v /= 1024;
    }
    return GoFloat.format(v, 'g', 4) + prefix;
  }

  static String humanizeDuration(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFloat.format(v, 'g', 4);
    }
    if (v == 0) {
      return GoFloat.format(v, 'g', 4) + "s";
    }
    if (Math.abs(v) >= 1) {
      String sign = v < 0 ? "-" : "";
      v = Math.abs(v);
      long duration = (long) v;
      long seconds = duration % 60;
      long minutes = duration / 60 % 60;
      long hours = duration / 60 / 60 % 24;
      long days = duration / 60 / 60 / 24;
      if (days != 0) {
        return sign + days + "d " + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (hours != 0) {
        return sign + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (minutes != 0) {
        return sign + minutes + "m " + seconds + "s";
      }
      return sign + GoFloat.format(v, 'g', 4) + "s";
    }
    String prefix = "";
    for (String p : SMALL_PREFIXES) {
      if (Math.abs(v) >= 1) {
        break;
      }
      prefix = p;
      v *= 1000;
    }
    return GoFloat.format(v, 'g', 4) + prefix + "s";
  }

  /** Go's {@code time.Time.String()} of the instant, to the millisecond, in UTC. */
  static String humanizeTimestamp(double v) throws ExecutionException {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFloat.format(v, 'g', 4);
    }
    double nanos = v * 1e9;
    if (nanos > 0x1p63 || nanos < -0x1p63) {
      throw new ExecutionException("error calling humanizeTimestamp: " + GoFloat.format(v, 'g', -1)
          + " cannot be represented as a nanoseconds timestamp since it overflows int64");
    }
    long millis = (long) nanos / 1_000_000;
    Instant instant = Instant.ofEpochMilli(millis);
    String fraction = "";
    int ms = instant.getNano() / 1_000_000;
    if (ms != 0) {
      fraction = ("." + String.format("%03d", ms)).replaceAll("0+$", "");
    }
    return GO_TIME.format(instant.atOffset(ZoneOffset.UTC)) + fraction + " +0000 UTC";
  }

  /** Go's deprecated {@code strings.Title}: the first letter of every word upper-cased. */
  static String title(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int previous = ' ';
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      out.appendCodePoint(isSeparator(previous) ? Character.toTitleCase(c) : c);
      previous = c;
      i += Character.charCount(c);
    }
    return out.toString();
  }

  private static boolean isSeparator(int c) {
    if (c <= 0x7F) {
      return !(Character.isLetterOrDigit(c) || c == '_');
    }
    if (Character.isLetterOrDigit(c)) {
      return false;
    }
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  private static Pattern regexp(String pattern) {
    try {
      return Pattern.compile(pattern.replace("(?P<", "(?<"));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("error parsing regexp: " + e.getDescription() + ": `" + pattern + "`");
    }
  }

  private static String replaceAll(String pattern, String replacement, String text) {
    Matcher m = regexp(pattern).matcher(text);
    StringBuilder out = new StringBuilder();
    int last = 0;
    while (m.find()) {
      out.append(text, last, m.start()).append(GoRegexp.expand(replacement, m));
      last = m.end();
    }
    return out.append(text.substring(last)).toString();
  }

  /** Go's {@code net.SplitHostPort} host, or the text itself when it has no port. */
  private static String stripPort(String hostPort) {
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      return close > 0 && hostPort.startsWith(":", close + 1) ? hostPort.substring(1, close) : hostPort;
    }
    int colon = hostPort.lastIndexOf(':');
    return colon < 0 || hostPort.indexOf(':') != colon ? hostPort : hostPort.substring(0, colon);
  }

  private static String stripDomain(String hostPort) {
    String host = stripPort(hostPort);
    String port = host.length() < hostPort.length() ? hostPort.substring(hostPort.lastIndexOf(':') + 1) : "";
    if (host.matches("[0-9.]+") || host.contains(":")) {
      return hostPort;
    }
    host = host.split("\\.", -1)[0];
    return port.isEmpty() ? host : host + ":" + port;
  }

  private static String link(String expression, int tab) {
    return "/graph?g0.expr=" + URLEncoder.encode(expression, StandardCharsets.UTF_8) + "&g0.tab=" + tab;
  }

  private static Object length(Object value) throws ExecutionException {
    if (value instanceof String s) {
      return (long) s.getBytes(StandardCharsets.UTF_8).length;
    }
    if (value instanceof Map<?, ?> m) {
      return (long) m.size();
    }
    if (value instanceof List<?> l) {
      return (long) l.size();
    }
    throw new ExecutionException("error calling len: len of type " + GoValues.typeName(value));
  }

  private static Object index(List<Object> args) throws ExecutionException {
    Object value = args.isEmpty() ? null : args.get(0);
    for (Object key : args.subList(Math.min(1, args.size()), args.size())) {
      if (value instanceof Map<?, ?> m) {
        Object v = m.get(key);
        value = v == null ? "" : v;
      } else if (value instanceof List<?> l && key instanceof Long i) {
        if (i < 0 || i >= l.size()) {
          throw new ExecutionException("error calling index: index out of range: " + i);
        }
        value = l.get(i.intValue());
      } else {
        throw new ExecutionException("error calling index: can't index item of type " + GoValues.typeName(value));
      }
    }
    return value;
  }

  /** Go's Sprint adds a space between operands when neither is a string; Sprintln always does. */
  private static String print(List<Object> args, boolean line) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < args.size(); i++) {
      boolean strings = i > 0 && (args.get(i) instanceof String || args.get(i - 1) instanceof String);
      if (i > 0 && (line || !strings)) {
        out.append(' ');
      }
      out.append(GoValues.print(args.get(i)));
    }
    return line ? out.append('\n').toString() : out.toString();
  }

  private static boolean compare(String name, List<Object> args) throws ExecutionException {
    if (args.size() < 2) {
      throw new ExecutionException("error calling " + name + ": missing argument for comparison");
    }
    if (name.equals("eq")) {
      for (Object other : args.subList(1, args.size())) {
        if (GoValues.compare(args.get(0), other, false) == 0) {
          return true;
        }
      }
      return false;
    }
    // As Go defines them: gt is "not le" and ge "not lt", so NaN is greater than anything.
    int c = GoValues.compare(args.get(0), args.get(1), !name.equals("ne"));
    boolean unordered = c == Integer.MIN_VALUE;
    boolean lt = !unordered && c < 0;
    boolean eq = !unordered && c == 0;
    return switch (name) {
      case "ne" -> !eq;
      case "lt" -> lt;
      case "le" -> lt || eq;
      case "gt" -> !(lt || eq);
      default -> !lt;
    };
  }

  private static List<QuerySample> query(String expression, TemplateData data) throws ExecutionException {
    if (data.query() == null) {
      throw new ExecutionException("error calling query: no query engine here");
    }
    List<VectorSample> samples;
    try {
      samples = data.query().run(expression);
    } catch (Exception e) {
      throw new ExecutionException("error calling query: " + e.getMessage());
    }
    List<QuerySample> out = new ArrayList<>(samples.size());
    for (VectorSample s : samples) {
      out.add(new QuerySample(s.labels().toMap(), s.value()));
    }
    return out;
  }

  private static Object first(Object value) throws ExecutionException {
    if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        throw new ExecutionException("error calling first: first() called on vector with no elements");
      }
      return list.get(0);
    }
    throw new ExecutionException("error calling first: wrong type for value; expected template.queryResult; got "
        + GoValues.typeName(value));
  }

  private static List<QuerySample> sortByLabel(String label, Object value) throws ExecutionException {
    if (!(value instanceof List<?> list)) {
      throw new ExecutionException("error calling sortByLabel: wrong type for value; expected template.queryResult");
    }
    List<QuerySample> out = new ArrayList<>();
    for (Object o : list) {
      out.add((QuerySample) o);
    }
    out.sort(Comparator.comparing(s -> s.labels().getOrDefault(label, "")));
    return out;
  }

  private static Map<String, Object> arguments(List<Object> args) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      out.put("arg" + i, args.get(i));
    }
    return out;
  }
}
