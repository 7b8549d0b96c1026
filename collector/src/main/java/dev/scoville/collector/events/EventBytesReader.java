package dev.scoville.collector.events;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads events of the schema straight from their UTF-8 bytes: field names and the type compared as
 * bytes, times and numbers parsed in place, session ids hashed in place, and the few label-like
 * values (shop, page, provider, currency, SKU) taken from a small cache of Strings already made. A
 * profile of the Kafka path put nearly half of its CPU in setting up a Jackson parser per record and
 * making Strings of fields that are only compared or hashed.
 *
 * <p>It takes only the usual shape: strings of printable ASCII without escapes, each known field
 * once, unknown fields with scalar values, every field valid. Anything else (escapes, non-ASCII
 * text, nested unknown fields, repeated fields, a missing or invalid field, broken JSON) makes it
 * answer null, and {@link EventParser} hands the bytes to {@link JacksonEventReader}, which reads
 * them in full and words the refusal. So whatever this reader returns is what Jackson would have
 * returned, and every refusal is Jackson's; {@code EventParserDifferentialTest} checks both.
 *
 * <p>Not thread-safe: one per thread.
 */
final class EventBytesReader {
  private static final int TYPE = 0;
  private static final int TIME = 1;
  private static final int SHOP = 2;
  private static final int SESSION = 3;
  private static final int PAGE = 4;
  private static final int CART = 5;
  private static final int ORDER = 6;
  private static final int PROVIDER = 7;
  private static final int OUTCOME = 8;
  private static final int CURRENCY = 9;
  private static final int SKU = 10;
  private static final int COMMENT = 11;
  private static final int LOAD_MS = 12;
  private static final int AMOUNT = 13;
  private static final int COMPLETION_MS = 14;
  private static final int LEVEL = 15;
  private static final int JS_ERRORS = 16;
  private static final int SCORE = 17;
  private static final int TOPIC = 18;

  /** The schema's field names, indexed as above; {@link JacksonEventReader} knows the same. */
  private static final byte[][] NAMES =
      bytes(
          "type", "time", "shop", "session", "page", "cart", "order", "provider", "outcome",
          "currency", "sku", "comment", "load_ms", "amount", "completion_ms", "level", "js_errors",
          "score", "topic");

  private static final byte[][] TYPES;

  static {
    TYPES = new byte[Event.Type.ALL.length][];
    for (Event.Type type : Event.Type.ALL) {
      TYPES[type.ordinal()] = type.label.getBytes(StandardCharsets.US_ASCII);
    }
  }

  private static final byte[] SUCCESS = "success".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FAILURE = "failure".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

  /** Integers of up to 18 digits fit a long; Jackson reads longer ones as BigInteger. */
  private static final int MAX_INTEGER_DIGITS = 18;

  /**
   * Digits of a decimal read as (digits) / 10^(fraction digits): both exact in a double below 2^53
   * and 10^22, so the one division rounds exactly as Double.parseDouble (Jackson's) does.
   */
  private static final int MAX_DECIMAL_DIGITS = 15;

  private static final double[] POWERS_OF_TEN = new double[MAX_DECIMAL_DIGITS + 1];

  static {
    double p = 1;
    for (int i = 0; i <= MAX_DECIMAL_DIGITS; i++) {
      POWERS_OF_TEN[i] = p;
      p *= 10;
    }
  }

  private final LabelValues labelValues = new LabelValues();
  private final Iso8601.LastHour lastHour = new Iso8601.LastHour();
  private final int[] valueStart = new int[NAMES.length];
  private final int[] valueLength = new int[NAMES.length];
  private byte[] b;
  private int pos;
  private int end;
  private int seen;
  private long time;
  private double loadMs;
  private double amount;
  private double completionMs;
  private double level;
  private long jsErrors;
  private long score;

  /** The event {@code json} holds, or null when it is anything but the usual shape. */
  Event read(byte[] json) {
    if (json == null) {
      return null;
    }
    b = json;
    pos = 0;
    end = json.length;
    skipWhitespace();
    if (pos >= end || b[pos] != '{') {
      return null;
    }
    Event event = object();
    if (event == null) {
      return null;
    }
    skipWhitespace();
    return pos == end ? event : null;
  }

  /** The events of a JSON array, or null when any of it is anything but the usual shape. */
  List<Event> readArray(byte[] json) {
    b = json;
    pos = 0;
    end = json.length;
    skipWhitespace();
    if (pos >= end || b[pos] != '[') {
      return null;
    }
    pos++;
    skipWhitespace();
    List<Event> events = new ArrayList<>();
    if (pos < end && b[pos] == ']') {
      pos++;
    } else {
      while (true) {
        if (pos >= end || b[pos] != '{') {
          return null;
        }
        Event event = object();
        if (event == null) {
          return null;
        }
        events.add(event);
        skipWhitespace();
        if (pos >= end) {
          return null;
        }
        byte c = b[pos++];
        if (c == ']') {
          break;
        }
        if (c != ',') {
          return null;
        }
        skipWhitespace();
      }
    }
    skipWhitespace();
    return pos == end ? events : null;
  }

  /** From the '{' at {@code pos} to just after its '}'. */
  private Event object() {
    pos++;
    seen = 0;
    time = Long.MIN_VALUE;
    jsErrors = score = Long.MIN_VALUE;
    loadMs = amount = completionMs = level = Double.NaN;
    skipWhitespace();
    if (pos < end && b[pos] == '}') {
      pos++;
      return null; // no type: Jackson says so
    }
    while (true) {
      if (pos >= end || b[pos] != '"') {
        return null;
      }
      int nameStart = ++pos;
      int field = knownName(nameStart);
      if (field >= 0) {
        pos = nameStart + NAMES[field].length;
      } else if (!toClosingQuote()) {
        return null;
      }
      pos++;
      skipWhitespace();
      if (pos >= end || b[pos] != ':') {
        return null;
      }
      pos++;
      skipWhitespace();
      if (field < 0) {
        if (!skipScalar()) {
          return null;
        }
      } else {
        // A repeated field: Jackson keeps the last value but may have refused the first.
        if ((seen & (1 << field)) != 0 || !value(field)) {
          return null;
        }
        seen |= 1 << field;
      }
      skipWhitespace();
      if (pos >= end) {
        return null;
      }
      byte c = b[pos++];
      if (c == '}') {
        return build();
      }
      if (c != ',') {
        return null;
      }
      skipWhitespace();
    }
  }

  private boolean value(int field) {
    switch (field) {
      case TIME -> {
        if (!string(TIME)) {
          return false;
        }
        time = Iso8601.parseMillis(b, valueStart[TIME], valueLength[TIME], lastHour);
        return time != Long.MIN_VALUE;
      }
      case LOAD_MS -> {
        loadMs = decimal();
        return !Double.isNaN(loadMs);
      }
      case AMOUNT -> {
        amount = decimal();
        return !Double.isNaN(amount);
      }
      case COMPLETION_MS -> {
        completionMs = decimal();
        return !Double.isNaN(completionMs);
      }
      case LEVEL -> {
        level = decimal();
        return !Double.isNaN(level);
      }
      case JS_ERRORS -> {
        jsErrors = integer();
        return jsErrors != Long.MIN_VALUE;
      }
      case SCORE -> {
        score = integer();
        return score != Long.MIN_VALUE;
      }
      default -> {
        return string(field);
      }
    }
  }

  /** The event, or null when a field is missing or invalid (Jackson then says which). */
  private Event build() {
    if (!has(TYPE) || !has(TIME)) {
      return null;
    }
    Event.Type type = type();
    if (type == null) {
      return null;
    }
    String shop = has(SHOP) ? labelValue(SHOP) : "";
    switch (type) {
      case PAGE_VIEW -> {
        // jsErrors is Long.MIN_VALUE when absent (then 0), loadMs NaN (then missing).
        if (!nonEmpty(SESSION)
            || !nonEmpty(PAGE)
            || !(loadMs >= 0)
            || (jsErrors < 0 && jsErrors != Long.MIN_VALUE)) {
          return null;
        }
        return new Event.PageView(
            shop,
            time,
            SessionSketch.hash(b, valueStart[SESSION], valueLength[SESSION]),
            labelValue(PAGE),
            loadMs,
            jsErrors == Long.MIN_VALUE ? 0 : (int) Math.min(Integer.MAX_VALUE, jsErrors));
      }
      case CART_CREATED -> {
        return nonEmpty(SESSION) && nonEmpty(CART) ? new Event.CartCreated(shop, time) : null;
      }
      case CHECKOUT_STARTED -> {
        return nonEmpty(SESSION) && nonEmpty(CART) ? new Event.CheckoutStarted(shop, time) : null;
      }
      case PAYMENT_RESULT -> {
        if (!nonEmpty(ORDER) || !nonEmpty(PROVIDER) || !has(OUTCOME)) {
          return null;
        }
        boolean success;
        if (equalsValue(OUTCOME, SUCCESS)) {
          success = true;
        } else if (equalsValue(OUTCOME, FAILURE)) {
          success = false;
        } else {
          return null;
        }
        return new Event.PaymentResult(shop, time, labelValue(PROVIDER), success);
      }
      case ORDER_PLACED -> {
        if (!nonEmpty(SESSION)
            || !nonEmpty(ORDER)
            || !(amount >= 0)
            || !nonEmpty(CURRENCY)
            || completionMs < 0) {
          return null;
        }
        return new Event.OrderPlaced(shop, time, amount, labelValue(CURRENCY), completionMs);
      }
      case INVENTORY_LEVEL -> {
        if (!nonEmpty(SKU) || Double.isNaN(level)) {
          return null;
        }
        return new Event.InventoryLevel(shop, time, labelValue(SKU), level);
      }
      case FEEDBACK -> {
        if (score < 1 || score > 5) {
          return null;
        }
        String comment = "";
        if (has(COMMENT)) {
          comment =
              new String(b, valueStart[COMMENT], valueLength[COMMENT], StandardCharsets.US_ASCII);
        }
        return new Event.Feedback(
            shop,
            time,
            (int) score,
            comment,
            has(PAGE) ? labelValue(PAGE) : "",
            has(TOPIC) ? labelValue(TOPIC) : "");
      }
    }
    return null;
  }

  private Event.Type type() {
    for (Event.Type type : Event.Type.ALL) {
      if (equalsValue(TYPE, TYPES[type.ordinal()])) {
        return type;
      }
    }
    return null;
  }

  private boolean has(int field) {
    return (seen & (1 << field)) != 0;
  }

  private boolean nonEmpty(int field) {
    return has(field) && valueLength[field] > 0;
  }

  private boolean equalsValue(int field, byte[] expected) {
    return valueLength[field] == expected.length && same(valueStart[field], expected);
  }

  /** Whether the bytes from {@code from} begin with {@code expected} (which fits before end). */
  private boolean same(int from, byte[] expected) {
    for (int i = 0; i < expected.length; i++) {
      if (b[from + i] != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private String labelValue(int field) {
    return labelValues.get(b, valueStart[field], valueLength[field]);
  }

  /**
   * The index of the known field whose name, and then the closing quote, come from {@code from};
   * else -1. Its first bytes say which name it can be, so a known name is compared once and not
   * scanned first.
   */
  private int knownName(int from) {
    if (end - from < 4) {
      return -1;
    }
    byte second = b[from + 1];
    int candidate =
        switch (b[from]) {
          case 't' ->
              switch (second) {
                case 'y' -> TYPE;
                case 'o' -> TOPIC;
                default -> TIME;
              };
          case 's' ->
              switch (second) {
                case 'h' -> SHOP;
                case 'e' -> SESSION;
                case 'k' -> SKU;
                default -> SCORE;
              };
          case 'p' -> second == 'a' ? PAGE : PROVIDER;
          case 'c' ->
              switch (second) {
                case 'a' -> CART;
                case 'u' -> CURRENCY;
                default -> b[from + 3] == 'm' ? COMMENT : COMPLETION_MS;
              };
          case 'o' -> second == 'r' ? ORDER : OUTCOME;
          case 'l' -> second == 'o' ? LOAD_MS : LEVEL;
          case 'a' -> AMOUNT;
          case 'j' -> JS_ERRORS;
          default -> -1;
        };
    if (candidate < 0) {
      return -1;
    }
    byte[] name = NAMES[candidate];
    return end - from > name.length && same(from, name) && b[from + name.length] == '"'
        ? candidate
        : -1;
  }

  /** A string value of the usual shape at {@code pos}: its bytes' place is kept for the field. */
  private boolean string(int field) {
    if (pos >= end || b[pos] != '"') {
      return false;
    }
    int start = ++pos;
    if (!toClosingQuote()) {
      return false;
    }
    valueStart[field] = start;
    valueLength[field] = pos - start;
    pos++;
    return true;
  }

  /**
   * Moves {@code pos} to the closing quote of a string of printable ASCII without escapes; false
   * for anything else (bytes are signed, so every non-ASCII byte is below 0x20 here).
   */
  private boolean toClosingQuote() {
    for (; pos < end; pos++) {
      byte c = b[pos];
      if (c == '"') {
        return true;
      }
      if (c < 0x20 || c == '\\') {
        return false;
      }
    }
    return false;
  }

  /**
   * A JSON number as Jackson's getDoubleValue reads it; NaN for anything that is not a JSON number
   * or not finite. Jackson makes an integer a long and then a double (so -0 is 0.0), and hands any
   * other number's text to Double.parseDouble; short decimals are computed here instead, with the
   * same, correctly rounded, result.
   */
  private double decimal() {
    int start = pos;
    boolean negative = pos < end && b[pos] == '-';
    if (negative) {
      pos++;
    }
    int integerStart = pos;
    long digits = 0;
    while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
      digits = digits * 10 + (b[pos++] - '0');
    }
    int integerDigits = pos - integerStart;
    if (integerDigits == 0 || (b[integerStart] == '0' && integerDigits > 1)) {
      return Double.NaN;
    }
    int fractionDigits = 0;
    if (pos < end && b[pos] == '.') {
      int fractionStart = ++pos;
      while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
        digits = digits * 10 + (b[pos++] - '0');
      }
      fractionDigits = pos - fractionStart;
      if (fractionDigits == 0) {
        return Double.NaN;
      }
    }
    boolean exponent = pos < end && (b[pos] == 'e' || b[pos] == 'E');
    if (exponent) {
      pos++;
      if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
        pos++;
      }
      int exponentStart = pos;
      while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
        pos++;
      }
      if (pos == exponentStart) {
        return Double.NaN;
      }
    }
    if (!exponent && fractionDigits == 0 && integerDigits <= MAX_INTEGER_DIGITS) {
      return negative ? -digits : digits;
    }
    double value;
    if (!exponent && integerDigits + fractionDigits <= MAX_DECIMAL_DIGITS) {
      value = digits / POWERS_OF_TEN[fractionDigits];
      value = negative ? -value : value;
    } else {
      value = Double.parseDouble(new String(b, start, pos - start, StandardCharsets.US_ASCII));
    }
    return Double.isInfinite(value) ? Double.NaN : value;
  }

  /** A plain JSON integer of up to 18 digits; else Long.MIN_VALUE. */
  private long integer() {
    boolean negative = pos < end && b[pos] == '-';
    if (negative) {
      pos++;
    }
    int start = pos;
    long value = 0;
    while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
      value = value * 10 + (b[pos++] - '0');
    }
    int count = pos - start;
    if (count == 0
        || count > MAX_INTEGER_DIGITS
        || (b[start] == '0' && count > 1)
        || (pos < end && (b[pos] == '.' || b[pos] == 'e' || b[pos] == 'E'))) {
      return Long.MIN_VALUE;
    }
    return negative ? -value : value;
  }

  /** The value of a field the schema does not know, if it is a string, number or literal. */
  private boolean skipScalar() {
    if (pos >= end) {
      return false;
    }
    byte c = b[pos];
    if (c == '"') {
      pos++;
      if (!toClosingQuote()) {
        return false;
      }
      pos++;
      return true;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      return !Double.isNaN(decimal());
    }
    return literal(TRUE) || literal(FALSE) || literal(NULL);
  }

  private boolean literal(byte[] word) {
    if (end - pos >= word.length && same(pos, word)) {
      pos += word.length;
      return true;
    }
    return false;
  }

  private void skipWhitespace() {
    while (pos < end) {
      byte c = b[pos];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      pos++;
    }
  }

  private static byte[][] bytes(String... names) {
    byte[][] all = new byte[names.length][];
    for (int i = 0; i < names.length; i++) {
      all[i] = names[i].getBytes(StandardCharsets.US_ASCII);
    }
    return all;
  }

  /**
   * The Strings of label-like values already seen, by their bytes: a shop has a few pages,
   * providers and currencies, so most values are found here, and the windows' maps then hash and
   * compare a String that has done it before. Direct-mapped and bounded: a value that collides or
   * is new replaces the slot's.
   */
  private static final class LabelValues {
    private static final int SLOTS = 1024;
    private final byte[][] keys = new byte[SLOTS][];
    private final String[] values = new String[SLOTS];

    String get(byte[] b, int from, int length) {
      int h = 1;
      for (int i = from; i < from + length; i++) {
        h = 31 * h + b[i];
      }
      int slot = (h ^ (h >>> 15)) & (SLOTS - 1);
      byte[] key = keys[slot];
      if (key != null && key.length == length && same(key, b, from)) {
        return values[slot];
      }
      String value = new String(b, from, length, StandardCharsets.US_ASCII);
      keys[slot] = Arrays.copyOfRange(b, from, from + length);
      values[slot] = value;
      return value;
    }

    private static boolean same(byte[] key, byte[] b, int from) {
      for (int i = 0; i < key.length; i++) {
        if (key[i] != b[from + i]) {
          return false;
        }
      }
      return true;
    }
  }
}
