package dev.scoville.collector.exposition;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The strict half of {@code CheckMetrics}: rules of the OpenMetrics 1.0 specification and of the
 * Prometheus text format that ingestion, lenient like Prometheus's own scraper, lets pass. A
 * separate pass over an exposition the parser has already accepted, so the scrape path pays
 * nothing for it. Each violation names the rule it breaks.
 */
public final class ExpositionChecker {
  /** One broken rule at a 1-based line and column. */
  public record Violation(int line, int column, String reason, String rule) {
    @Override
    public String toString() {
      return line + ":" + column + ": " + reason + " (" + rule + ")";
    }
  }

  private static final List<String> SUFFIXES =
      List.of("_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info");

  private final boolean openMetrics;
  private final List<Violation> violations = new ArrayList<>();
  private final Map<String, String> types = new HashMap<>();
  private final Set<String> metadata = new HashSet<>();
  private final Set<String> familiesWithSamples = new HashSet<>();
  private final Map<String, Double> lastTimestamps = new HashMap<>();
  /** Histogram buckets per family and label set (without le), le to (value, line). */
  private final Map<String, Map<String, TreeMap<Double, double[]>>> buckets = new HashMap<>();
  private final Map<String, double[]> counts = new HashMap<>();
  private String currentFamily;

  private ExpositionChecker(boolean openMetrics) {
    this.openMetrics = openMetrics;
  }

  public static List<Violation> check(byte[] body, ExpositionFormat format) {
    ExpositionChecker checker = new ExpositionChecker(format == ExpositionFormat.OPENMETRICS_1_0_0);
    String[] lines = new String(body, StandardCharsets.UTF_8).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      checker.line(lines[i], i + 1);
    }
    checker.histograms();
    return checker.violations;
  }

  private String spec(String section) {
    return openMetrics ? "OpenMetrics 1.0, " + section : "Prometheus text format 0.0.4, " + section;
  }

  private void line(String line, int number) {
    if (line.isEmpty() || line.equals("# EOF")) {
      return;
    }
    if (line.startsWith("#")) {
      metadata(line, number);
      return;
    }
    sample(line, number);
  }

  private void metadata(String line, int number) {
    String[] parts = line.split(" ", 4);
    if (parts.length < 3 || !(parts[1].equals("TYPE") || parts[1].equals("HELP") || parts[1].equals("UNIT"))) {
      return;
    }
    String kind = parts[1];
    String family = parts[2];
    if (!metadata.add(kind + " " + family)) {
      violations.add(new Violation(number, 1, "second " + kind + " line for " + family,
          spec(openMetrics ? "MetricFamily: metadata must not be repeated"
              : "\"Only one " + kind + " line may exist for a given metric name\"")));
      return;
    }
    if (familiesWithSamples.contains(family) || (openMetrics && ownerFamily(family) != null
        && familiesWithSamples.contains(ownerFamily(family)))) {
      violations.add(new Violation(number, 1, kind + " line for " + family + " after its samples",
          spec(openMetrics ? "MetricFamily: metadata comes before the family's MetricPoints"
              : "\"The TYPE line for a metric name must appear before the first sample\"")));
    }
    if (openMetrics && currentFamily != null && !currentFamily.equals(family)) {
      finished.add(currentFamily);
      currentFamily = family;
    } else if (openMetrics && currentFamily == null) {
      currentFamily = family;
    }
    if (kind.equals("TYPE") && parts.length >= 4) {
      types.put(family, parts[3].strip());
    }
  }

  private final Set<String> finished = new HashSet<>();

  /** The family a declared name belongs to when it is itself a suffixed name of a declared family. */
  private String ownerFamily(String name) {
    for (String suffix : SUFFIXES) {
      if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return null;
  }

  private void sample(String line, int number) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    int nameEnd = brace >= 0 && (space < 0 || brace < space) ? brace : space;
    if (nameEnd <= 0) {
      return;
    }
    String name = line.substring(0, nameEnd);
    Map<String, String> labels = new TreeMap<>();
    int pos = nameEnd;
    if (brace == nameEnd) {
      pos = labels(line, brace + 1, number, labels);
      if (pos < 0) {
        return;
      }
    }
    String rest = line.substring(pos).strip();
    String exemplar = null;
    int hash = rest.indexOf(" # ");
    if (hash >= 0) {
      exemplar = rest.substring(hash + 3);
      rest = rest.substring(0, hash).strip();
    }
    String[] fields = rest.split(" +");
    double value = parse(fields[0]);
    String family = family(name);
    String type = types.getOrDefault(family, "unknown");
    familiesWithSamples.add(family);
    if (openMetrics) {
      if (currentFamily != null && !currentFamily.equals(family)) {
        finished.add(currentFamily);
      }
      if (finished.contains(family)) {
        violations.add(new Violation(number, 1, "samples of " + family + " are interleaved with another family's",
            spec("MetricFamily: \"MetricFamilies MUST NOT be interleaved\"")));
        finished.remove(family);
      }
      currentFamily = family;
      checkValue(name, family, type, value, line, number, labels);
      if (exemplar != null && !(name.equals(family + "_total") && type.equals("counter")
          || name.equals(family + "_bucket") && (type.equals("histogram") || type.equals("gaugehistogram")))) {
        violations.add(new Violation(number, line.indexOf(" # ") + 2, "exemplar on " + name,
            spec("Exemplars: only counters' _total and histograms' _bucket samples may have exemplars")));
      }
      if (fields.length > 1) {
        checkTimestamp(name, labels, fields[1], line, number);
      }
    }
  }

  private void checkValue(String name, String family, String type, double value, String line, int number,
      Map<String, String> labels) {
    int column = line.lastIndexOf(' ', line.indexOf(" # ") >= 0 ? line.indexOf(" # ") - 1 : line.length() - 1) + 2;
    boolean counting = type.equals("counter") && name.equals(family + "_total")
        || (type.equals("histogram") || type.equals("summary")) && (name.equals(family + "_count")
        || name.equals(family + "_bucket"));
    if (counting && (Double.isNaN(value) || value < 0)) {
      violations.add(new Violation(number, column, "value of " + name + " is " + (Double.isNaN(value) ? "NaN"
          : "negative"), spec("Counter and Histogram: counts MUST NOT be NaN or negative")));
    }
    if (type.equals("info") && value != 1) {
      violations.add(new Violation(number, column, "info metric " + name + " has value " + fields(value),
          spec("Info: \"The Sample value MUST always be 1\"")));
    }
    if (type.equals("stateset") && value != 0 && value != 1) {
      violations.add(new Violation(number, column, "stateset " + name + " has value " + fields(value),
          spec("StateSet: \"The State sample's value MUST be 1 if the State is true and MUST be 0 if false\"")));
    }
    if (type.equals("histogram") || type.equals("gaugehistogram")) {
      Map<String, String> group = new TreeMap<>(labels);
      String le = group.remove("le");
      String key = group.toString();
      if (name.equals(family + "_bucket") && le != null) {
        double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : parse(le);
        buckets.computeIfAbsent(family, f -> new java.util.LinkedHashMap<>())
            .computeIfAbsent(key, k -> new TreeMap<>()).put(bound, new double[] {value, number});
      } else if (name.equals(family + "_count") || name.equals(family + "_gcount")) {
        counts.put(family + key, new double[] {value, number});
      }
    }
  }

  private static String fields(double value) {
    return value == Math.rint(value) && !Double.isInfinite(value) ? Long.toString((long) value) : Double.toString(value);
  }

  private void checkTimestamp(String name, Map<String, String> labels, String text, String line, int number) {
    double timestamp = parse(text);
    int exemplar = line.indexOf(" # ");
    int column = (exemplar >= 0 ? line.substring(0, exemplar) : line).lastIndexOf(" " + text) + 2;
    if (Double.isNaN(timestamp) || Double.isInfinite(timestamp)) {
      violations.add(new Violation(number, column, "timestamp " + text + " is not a finite number",
          spec("Timestamps: \"Timestamps MUST be … in seconds since the epoch\"")));
      return;
    }
    String series = name + labels;
    Double last = lastTimestamps.put(series, timestamp);
    if (last != null && timestamp <= last) {
      violations.add(new Violation(number, column, "timestamp " + text + " of " + series
          + " does not increase", spec("MetricPoint: \"MetricPoints … MUST have increasing timestamps\"")));
    }
  }

  /** Every histogram has a +Inf bucket, cumulative buckets never decrease, _count is the +Inf bucket. */
  private void histograms() {
    buckets.forEach((family, groups) -> groups.forEach((key, byBound) -> {
      double previous = Double.NEGATIVE_INFINITY;
      for (Map.Entry<Double, double[]> bucket : byBound.entrySet()) {
        double value = bucket.getValue()[0];
        int line = (int) bucket.getValue()[1];
        if (value < previous) {
          violations.add(new Violation(line, 1, "bucket le=\"" + fields(bucket.getKey()) + "\" of " + family + key
              + " is less than the bucket below it", spec("Histogram: \"Buckets MUST be cumulative\"")));
        }
        previous = Math.max(previous, value);
      }
      double[] inf = byBound.get(Double.POSITIVE_INFINITY);
      if (inf == null) {
        int line = (int) byBound.lastEntry().getValue()[1];
        violations.add(new Violation(line, 1, family + key + " has no +Inf bucket",
            spec("Histogram: \"A Histogram MetricPoint MUST have a bucket with an +Inf threshold\"")));
      } else if (openMetrics) {
        double[] count = counts.get(family + key);
        if (count != null && count[0] != inf[0]) {
          violations.add(new Violation((int) count[1], 1, family + "_count" + key + " differs from its +Inf bucket",
              spec("Histogram: \"the +Inf bucket … MUST be equal to the Count\"")));
        }
      }
    }));
  }

  /** The family a sample belongs to: its declared family, else its own name. */
  private String family(String name) {
    if (types.containsKey(name)) {
      return name;
    }
    String owner = ownerFamily(name);
    return owner != null ? owner : name;
  }

  /** Reads labels from after '{' into {@code out}; returns the position after '}', or -1. */
  private int labels(String line, int from, int number, Map<String, String> out) {
    int pos = from;
    while (pos < line.length() && line.charAt(pos) != '}') {
      int eq = line.indexOf('=', pos);
      if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
        return -1;
      }
      String labelName = line.substring(pos, eq).strip();
      StringBuilder value = new StringBuilder();
      int p = eq + 2;
      while (p < line.length() && line.charAt(p) != '"') {
        char c = line.charAt(p);
        if (c == '\\' && p + 1 < line.length()) {
          char e = line.charAt(p + 1);
          switch (e) {
            case '\\' -> value.append('\\');
            case '"' -> value.append('"');
            case 'n' -> value.append('\n');
            default -> violations.add(new Violation(number, p + 1, "unknown escape sequence \\" + e
                + " in the value of label " + labelName, spec(openMetrics
                ? "ABNF: label values escape only \\\\, \\\" and \\n"
                : "\"label_value can be any sequence of UTF-8 characters, but the backslash, the double-quote"
                    + " and the line feed characters have to be escaped as \\\\, \\\" and \\n\"")));
          }
          p += 2;
        } else {
          value.append(c);
          p++;
        }
      }
      out.put(labelName, value.toString());
      pos = p + 1;
      if (pos < line.length() && line.charAt(pos) == ',') {
        pos++;
      }
    }
    return pos + 1;
  }

  private static double parse(String text) {
    return switch (text) {
      case "+Inf", "Inf", "+inf", "inf" -> Double.POSITIVE_INFINITY;
      case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
      case "NaN", "nan" -> Double.NaN;
      default -> {
        try {
          yield Double.parseDouble(text);
        } catch (NumberFormatException e) {
          yield Double.NaN;
        }
      }
    };
  }
}
