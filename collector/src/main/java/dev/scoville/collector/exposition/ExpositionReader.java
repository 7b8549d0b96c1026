package dev.scoville.collector.exposition;

import dev.scoville.core.Labels;
import dev.scoville.core.Sample;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One pass over the bytes of one exposition. The text format is read as Prometheus's lexer reads it
 * (blanks between any two tokens, other comments ignored); OpenMetrics as its ABNF says (single
 * spaces, no other comments, {@code # EOF} last).
 */
public final class ExpositionReader {
  private static final int METRIC_START = 1;
  private static final int METRIC_PART = 2;
  private static final int LABEL_START = 4;
  private static final int LABEL_PART = 8;

  /** Bytes that end the plain part of a label value: quote, backslash, newline, non-ASCII. */
  private static final int VALUE_SPECIAL = 16;

  private static final byte[] CHAR_CLASS = new byte[256];

  static {
    for (int c = 0; c < 128; c++) {
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      boolean digit = c >= '0' && c <= '9';
      int cls = 0;
      if (letter || c == ':') {
        cls |= METRIC_START | METRIC_PART;
      }
      if (digit) {
        cls |= METRIC_PART | LABEL_PART;
      }
      if (letter) {
        cls |= LABEL_START | LABEL_PART;
      }
      if (c == '"' || c == '\\' || c == '\n') {
        cls |= VALUE_SPECIAL;
      }
      CHAR_CLASS[c] = (byte) cls;
    }
    for (int c = 128; c < 256; c++) {
      CHAR_CLASS[c] = VALUE_SPECIAL;
    }
  }

  private static final Set<String> TEXT_TYPES =
      Set.of("counter", "gauge", "histogram", "summary", "untyped");
  private static final Set<String> OPENMETRICS_TYPES =
      Set.of(
          "counter",
          "gauge",
          "histogram",
          "gaugehistogram",
          "summary",
          "info",
          "stateset",
          "unknown");
  private static final int EXEMPLAR_MAX_CODE_POINTS = 128;

  private final byte[] b;
  private final int end;
  private final boolean openMetrics;
  private final long defaultTimestamp;
  private final NameCache cache = new NameCache();
  private final LabelCollector labels = new LabelCollector();
  private final LabelCollector exemplarLabels = new LabelCollector();
  private final List<Sample> samples;
  private final List<Exemplar> exemplars = new ArrayList<>();
  private final List<Declaration> declarations = new ArrayList<>();
  private int pos;
  private int line = 1;
  private int lineStart;
  private byte[] unescaped = new byte[64];
  /** Where each sample's series (name and labels, as written) starts and ends in the body. */
  private int[] seriesSpans = new int[64];

  public ExpositionReader(byte[] body, boolean openMetrics, long defaultTimestamp) {
    this(body, body.length, openMetrics, defaultTimestamp);
  }

  /** Reads {@code body[0, length)}: a scrape's body sits in a reused, larger buffer. */
  public ExpositionReader(byte[] body, int length, boolean openMetrics, long defaultTimestamp) {
    this.b = body;
    this.end = length;
    this.openMetrics = openMetrics;
    this.defaultTimestamp = defaultTimestamp;
    // About one sample per 60 bytes in exporters' output: few regrowths, little waste.
    this.samples = new ArrayList<>(Math.max(16, length / 60));
  }

  public Exposition read() throws ExpositionException {
    if (openMetrics) {
      readOpenMetrics();
    } else {
      while (pos < end) {
        readTextLine();
      }
    }
    List<MetricMetadata> metadata = new ArrayList<>(declarations.size());
    String defaultType = openMetrics ? "unknown" : "untyped";
    for (Declaration d : declarations) {
      metadata.add(
          new MetricMetadata(
              d.family, d.type == null ? defaultType : d.type, orEmpty(d.help), orEmpty(d.unit)));
    }
    return new Exposition(samples, metadata, exemplars);
  }

  // ---- text format 0.0.4 ----

  private void readTextLine() throws ExpositionException {
    skipBlanks();
    if (pos == end) {
      return;
    }
    byte c = b[pos];
    if (c == '\n') {
      newLine();
    } else if (c == '#') {
      readTextComment();
    } else {
      readSample();
    }
  }

  private void readTextComment() throws ExpositionException {
    pos++;
    int keyword = pos;
    skipBlanks();
    boolean help = startsWith("HELP");
    if (keyword == pos || !(help || startsWith("TYPE")) || !isBlank(pos + 4)) {
      skipToNextLine();
      return;
    }
    pos += 4;
    skipBlanks();
    String family = readMetricName();
    if (!isBlank(pos) && !isLineEnd(pos)) {
      throw error(pos, "expected a space after the metric name in " + (help ? "HELP" : "TYPE"));
    }
    skipBlanks();
    int textStart = pos;
    while (pos < end && b[pos] != '\n') {
      pos++;
    }
    int textEnd = pos;
    while (textEnd > textStart && isBlank(textEnd - 1)) {
      textEnd--;
    }
    if (help) {
      setHelp(family, textStart, textEnd);
    } else {
      setType(family, textStart, textEnd, TEXT_TYPES);
    }
    skipToNextLine();
  }

  // ---- OpenMetrics 1.0 ----

  private void readOpenMetrics() throws ExpositionException {
    while (pos < end) {
      if (b[pos] == '#') {
        if (readOpenMetricsComment()) {
          return;
        }
      } else if (b[pos] == '\n') {
        throw error(pos, "blank lines are not allowed in OpenMetrics");
      } else {
        readSample();
      }
    }
    throw error(pos, "OpenMetrics exposition must end with \"# EOF\"");
  }

  /** Reads a HELP, TYPE or UNIT line, or the final EOF line (and then returns true). */
  private boolean readOpenMetricsComment() throws ExpositionException {
    int start = pos;
    pos++;
    if (startsWith(" EOF") && (pos + 4 == end || b[pos + 4] == '\n')) {
      pos = Math.min(pos + 5, end);
      if (pos < end) {
        newLineAt(pos);
        throw error(pos, "unexpected data after \"# EOF\"");
      }
      return true;
    }
    String keyword =
        startsWith(" HELP ")
            ? "HELP"
            : startsWith(" TYPE ") ? "TYPE" : startsWith(" UNIT ") ? "UNIT" : null;
    if (keyword == null) {
      throw error(start, "expected \"# HELP\", \"# TYPE\", \"# UNIT\" or \"# EOF\"");
    }
    pos += 6;
    String family = readMetricName();
    int textStart = pos;
    if (pos < end && b[pos] == ' ') {
      textStart = ++pos;
    } else if (pos < end && b[pos] != '\n') {
      throw error(pos, "expected a space after the metric name in " + keyword);
    }
    while (pos < end && b[pos] != '\n') {
      pos++;
    }
    switch (keyword) {
      case "HELP" -> setHelp(family, textStart, pos);
      case "TYPE" -> setType(family, textStart, pos, OPENMETRICS_TYPES);
      default -> setUnit(family, textStart, pos);
    }
    if (pos < end) {
      newLine();
    }
    return false;
  }

  // ---- samples, both formats ----

  private void readSample() throws ExpositionException {
    int nameAt = pos;
    String name = readMetricName();
    labels.clear();
    labels.add(Labels.METRIC_NAME, name, nameAt);
    int seriesEnd = pos;
    skipTextBlanks();
    if (pos < end && b[pos] == '{') {
      readLabels(labels);
      seriesEnd = pos;
      skipTextBlanks();
    }
    recordSpan(nameAt, seriesEnd);
    double value = readValue();
    long timestamp = defaultTimestamp;
    boolean exemplar = false;
    if (openMetrics) {
      if (pos < end && b[pos] == ' ' && pos + 1 < end && b[pos + 1] != '#') {
        timestamp = readOpenMetricsTimestamp(++pos, "timestamp");
      }
      exemplar = pos < end && b[pos] == ' ';
      if (exemplar) {
        readExemplarLabels();
      }
    } else {
      skipBlanks();
      if (!isLineEnd(pos)) {
        timestamp = readTextTimestamp();
        skipBlanks();
        if (!isLineEnd(pos)) {
          throw error(pos, "expected end of line after timestamp");
        }
      }
    }
    Labels series = labels.build();
    if (series == null) {
      throw duplicate(labels);
    }
    samples.add(new Sample(series, timestamp, value));
    if (exemplar) {
      readExemplar(series);
    } else if (pos < end) {
      if (b[pos] != '\n') {
        throw error(pos, "expected end of line after value");
      }
      newLine();
    }
  }

  private void recordSpan(int from, int to) {
    int at = samples.size() * 2;
    if (at + 2 > seriesSpans.length) {
      seriesSpans = Arrays.copyOf(seriesSpans, seriesSpans.length * 2);
    }
    seriesSpans[at] = from;
    seriesSpans[at + 1] = to;
  }

  /**
   * After {@link #read()}: sample i's series is written at {@code body[spans[2i], spans[2i+1])},
   * the scrape cache's key.
   */
  public int[] seriesSpans() {
    return seriesSpans;
  }

  private void readLabels(LabelCollector into) throws ExpositionException {
    pos++;
    while (true) {
      skipTextBlanks();
      if (pos < end && b[pos] == '}') {
        pos++;
        return;
      }
      int nameAt = pos;
      String name = readLabelName();
      skipTextBlanks();
      if (pos >= end || b[pos] != '=') {
        throw error(pos, "expected '=' after label name \"" + name + "\"");
      }
      pos++;
      skipTextBlanks();
      if (pos >= end || b[pos] != '"') {
        throw error(pos, "expected '\"' to open the value of label \"" + name + "\"");
      }
      into.add(name, readLabelValue(), nameAt);
      skipTextBlanks();
      if (pos < end && b[pos] == ',') {
        pos++;
      } else if (pos >= end || b[pos] != '}') {
        throw error(pos, "expected ',' or '}' after the value of label \"" + name + "\"");
      }
    }
  }

  /**
   * Reads a quoted value from its opening quote; escapes as Prometheus: \\, \" and \n, others kept.
   */
  private String readLabelValue() throws ExpositionException {
    int start = ++pos;
    boolean plain = true;
    int hash = 0;
    while (true) {
      // One table lookup per byte on the common path: plain ASCII up to the closing quote.
      while (pos < end && (CHAR_CLASS[b[pos] & 0xff] & VALUE_SPECIAL) == 0) {
        hash = NameCache.step(hash, b[pos++]);
      }
      if (pos >= end || b[pos] == '\n') {
        throw error(pos, "unterminated label value");
      }
      byte c = b[pos];
      if (c == '"') {
        break;
      }
      plain = false;
      if (c == '\\') {
        pos++;
        if (pos >= end || b[pos] == '\n') {
          throw error(pos, "unterminated label value");
        }
      }
      pos++;
    }
    int stop = pos++;
    if (plain) {
      return cache.get(b, start, stop, hash);
    }
    return decode(start, unescape(start, stop, true), "label value");
  }

  private double readValue() throws ExpositionException {
    if (openMetrics) {
      if (pos >= end || b[pos] != ' ') {
        throw error(pos, "expected a space before the value");
      }
      pos++;
    }
    int start = pos;
    while (pos < end && !isValueEnd(b[pos])) {
      pos++;
    }
    if (start == pos) {
      throw error(pos, "expected a value");
    }
    try {
      return NumberParser.parseFloat(b, start, pos);
    } catch (NumberFormatException e) {
      throw error(start, "invalid value " + quote(start, pos));
    }
  }

  private long readTextTimestamp() throws ExpositionException {
    int start = pos;
    while (pos < end && !isValueEnd(b[pos])) {
      pos++;
    }
    try {
      return NumberParser.parseLong(b, start, pos);
    } catch (NumberFormatException | ArithmeticException e) {
      throw error(start, "invalid timestamp " + quote(start, pos));
    }
  }

  private long readOpenMetricsTimestamp(int start, String what) throws ExpositionException {
    while (pos < end && !isValueEnd(b[pos])) {
      pos++;
    }
    try {
      return NumberParser.parseSecondsAsMillis(b, start, pos);
    } catch (NumberFormatException e) {
      throw error(start, "invalid " + what + " " + quote(start, pos));
    }
  }

  /** Reads {@code # {labels}} after a sample's value or timestamp. */
  private void readExemplarLabels() throws ExpositionException {
    int start = pos;
    if (!startsWith(" # {")) {
      throw error(start, "expected a timestamp or \" # {\" to start an exemplar");
    }
    pos += 3;
    exemplarLabels.clear();
    readLabels(exemplarLabels);
    if (exemplarLabels.codePoints() > EXEMPLAR_MAX_CODE_POINTS) {
      throw error(
          start + 3, "exemplar labels longer than " + EXEMPLAR_MAX_CODE_POINTS + " characters");
    }
  }

  private void readExemplar(Labels series) throws ExpositionException {
    Labels exemplar = exemplarLabels.build();
    if (exemplar == null) {
      throw duplicate(exemplarLabels);
    }
    double value = readValue();
    long timestamp = Exemplar.NO_TIMESTAMP;
    if (pos < end && b[pos] == ' ') {
      timestamp = readOpenMetricsTimestamp(++pos, "exemplar timestamp");
    }
    if (pos < end && b[pos] != '\n') {
      throw error(pos, "expected end of line after exemplar");
    }
    exemplars.add(new Exemplar(series, exemplar, value, timestamp));
    if (pos < end) {
      newLine();
    }
  }

  // ---- metadata ----

  private void setHelp(String family, int from, int to) throws ExpositionException {
    // HELP escapes only \\ and \n in the text format; OpenMetrics escapes it like label values.
    String help = decode(from, unescape(from, to, openMetrics), "help text");
    declaration(family, current -> current.help == null).help = help;
  }

  private void setType(String family, int from, int to, Set<String> types)
      throws ExpositionException {
    String type = text(from, to);
    if (!types.contains(type)) {
      throw error(from, "invalid metric type " + quote(from, to));
    }
    declaration(family, current -> current.type == null).type = type;
  }

  private void setUnit(String family, int from, int to) throws ExpositionException {
    String unit = text(from, to);
    if (!unit.isEmpty() && !family.endsWith("_" + unit)) {
      throw error(
          from, "unit \"" + unit + "\" is not a suffix of metric family \"" + family + "\"");
    }
    declaration(family, current -> current.unit == null).unit = unit;
  }

  /**
   * The declaration a metadata line belongs to: the current one while the lines name the same
   * family and say something new, else a new one. Real exporters do declare one family twice (Go
   * clients writing OpenMetrics give {@code go_memstats_alloc_bytes} and {@code
   * go_memstats_alloc_bytes_total} the same family name), and Prometheus accepts it, so both
   * declarations are kept rather than one silently overwriting the other.
   */
  private Declaration declaration(String family, Predicate<Declaration> fits) {
    Declaration last = declarations.isEmpty() ? null : declarations.get(declarations.size() - 1);
    if (last != null && last.family.equals(family) && fits.test(last)) {
      return last;
    }
    Declaration d = new Declaration(family);
    declarations.add(d);
    return d;
  }

  /** Mutable while the exposition is read; becomes a {@link MetricMetadata} at the end. */
  private static final class Declaration {
    final String family;
    String type;
    String help;
    String unit;

    Declaration(String family) {
      this.family = family;
    }
  }

  // ---- tokens ----

  private String readMetricName() throws ExpositionException {
    int start = pos;
    if (pos >= end || (CHAR_CLASS[b[pos] & 0xff] & METRIC_START) == 0) {
      throw error(pos, "invalid metric name");
    }
    int hash = NameCache.step(0, b[pos++]);
    while (pos < end && (CHAR_CLASS[b[pos] & 0xff] & METRIC_PART) != 0) {
      hash = NameCache.step(hash, b[pos++]);
    }
    return cache.get(b, start, pos, hash);
  }

  private String readLabelName() throws ExpositionException {
    int start = pos;
    if (pos >= end || (CHAR_CLASS[b[pos] & 0xff] & LABEL_START) == 0) {
      throw error(pos, "invalid label name");
    }
    int hash = NameCache.step(0, b[pos++]);
    while (pos < end && (CHAR_CLASS[b[pos] & 0xff] & LABEL_PART) != 0) {
      hash = NameCache.step(hash, b[pos++]);
    }
    return cache.get(b, start, pos, hash);
  }

  /**
   * Copies {@code b[from, to)} into the scratch buffer resolving \\ and \n (and \" when {@code
   * quotes}); any other backslash stays as written, as Prometheus keeps it. Returns the length.
   */
  private int unescape(int from, int to, boolean quotes) {
    if (unescaped.length < to - from) {
      unescaped = new byte[Math.max(to - from, unescaped.length * 2)];
    }
    int n = 0;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == '\\' && i + 1 < to) {
        byte next = b[i + 1];
        if (next == '\\' || next == 'n' || (quotes && next == '"')) {
          c = next == 'n' ? (byte) '\n' : next;
          i++;
        }
      }
      unescaped[n++] = c;
    }
    return n;
  }

  /** The scratch buffer's first {@code length} bytes as strict UTF-8. */
  private String decode(int at, int length, String what) throws ExpositionException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(ByteBuffer.wrap(unescaped, 0, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw error(at, "invalid UTF-8 in " + what);
    }
  }

  // ---- positions ----

  private boolean startsWith(String ascii) {
    if (end - pos < ascii.length()) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (b[pos + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Text-format blanks; '\r' counts so that CRLF line ends read as LF. */
  private boolean isBlank(int i) {
    return i < end && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r');
  }

  private boolean isLineEnd(int i) {
    return i >= end || b[i] == '\n';
  }

  private boolean isValueEnd(byte c) {
    return c == ' ' || c == '\n' || (!openMetrics && (c == '\t' || c == '\r'));
  }

  private void skipBlanks() {
    while (isBlank(pos)) {
      pos++;
    }
  }

  /** Blanks between tokens: allowed anywhere in the text format, never in OpenMetrics. */
  private void skipTextBlanks() {
    if (!openMetrics) {
      skipBlanks();
    }
  }

  private void skipToNextLine() {
    while (pos < end && b[pos] != '\n') {
      pos++;
    }
    if (pos < end) {
      newLine();
    }
  }

  /** Steps over the '\n' at {@code pos}. */
  private void newLine() {
    pos++;
    newLineAt(pos);
  }

  private void newLineAt(int start) {
    line++;
    lineStart = start;
  }

  private String text(int from, int to) {
    return new String(b, from, to - from, StandardCharsets.UTF_8);
  }

  /** Input text for an error message, quoted, with control characters made visible. */
  private String quote(int from, int to) {
    StringBuilder sb = new StringBuilder("\"");
    text(from, to)
        .codePoints()
        .forEach(
            c -> {
              if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", c));
              } else {
                sb.appendCodePoint(c);
              }
            });
    return sb.append('"').toString();
  }

  private ExpositionException duplicate(LabelCollector collector) {
    return error(
        collector.duplicatePosition(),
        "duplicate label name \"" + collector.duplicateName() + "\"");
  }

  /** An error at byte offset {@code at} of the current line; the column counts characters. */
  private ExpositionException error(int at, String reason) {
    int column = 1;
    for (int i = lineStart; i < at && i < end; i++) {
      if ((b[i] & 0xc0) != 0x80) {
        column++;
      }
    }
    return new ExpositionException(line, column, reason);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
