package dev.scoville.collector.events;

/**
 * Reads an RFC 3339 / ISO-8601 date-time with a zone ({@code 2026-11-23T12:00:00.123Z}, {@code
 * …+01:00}) straight from the event's bytes (or Jackson's character buffer). {@code Instant.parse}
 * would cost a String, a formatter walk and several objects per event: on the ingest path that was
 * the largest cost.
 */
final class Iso8601 {
  private Iso8601() {}

  /** As {@link #parseMillis(byte[], int, int)}, for Jackson's characters. */
  static long parseMillis(char[] chars, int off, int len) {
    byte[] ascii = new byte[len];
    for (int i = 0; i < len; i++) {
      char c = chars[off + i];
      if (c > 0x7f) {
        return Long.MIN_VALUE;
      }
      ascii[i] = (byte) c;
    }
    return parseMillis(ascii, 0, len);
  }

  /**
   * Milliseconds since the epoch (fraction truncated) of the date-time in {@code len} ASCII bytes
   * from {@code off}, or Long.MIN_VALUE when they are not one.
   */
  static long parseMillis(byte[] c, int off, int len) {
    int end = off + len;
    if (len < 20
        || c[off + 4] != '-'
        || c[off + 7] != '-'
        || (c[off + 10] != 'T' && c[off + 10] != 't')
        || c[off + 13] != ':'
        || c[off + 16] != ':') {
      return Long.MIN_VALUE;
    }
    int year = digits(c, off, 4);
    int month = digits(c, off + 5, 2);
    int day = digits(c, off + 8, 2);
    int hour = digits(c, off + 11, 2);
    int minute = digits(c, off + 14, 2);
    int second = digits(c, off + 17, 2);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > daysInMonth(year, month)
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return Long.MIN_VALUE;
    }
    int i = off + 19;
    int millis = 0;
    if (c[i] == '.') {
      int start = ++i;
      while (i < end && c[i] >= '0' && c[i] <= '9') {
        if (i - start < 3) {
          millis = millis * 10 + (c[i] - '0');
        }
        i++;
      }
      int count = i - start;
      if (count == 0 || count > 9) {
        return Long.MIN_VALUE;
      }
      for (int k = count; k < 3; k++) {
        millis *= 10;
      }
    }
    if (i >= end) {
      return Long.MIN_VALUE;
    }
    int offsetSeconds;
    if ((c[i] == 'Z' || c[i] == 'z') && i + 1 == end) {
      offsetSeconds = 0;
    } else if ((c[i] == '+' || c[i] == '-') && i + 6 == end && c[i + 3] == ':') {
      int oh = digits(c, i + 1, 2);
      int om = digits(c, i + 4, 2);
      if (oh < 0 || oh > 18 || om < 0 || om > 59) {
        return Long.MIN_VALUE;
      }
      offsetSeconds = (c[i] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return Long.MIN_VALUE;
    }
    long seconds =
        epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
    return seconds * 1000 + millis;
  }

  /** The number in {@code n} ASCII digits, or -1; without a branch per digit. */
  private static int digits(byte[] c, int off, int n) {
    int v = 0;
    int notDigit = 0;
    for (int i = off; i < off + n; i++) {
      int d = c[i] - '0';
      notDigit |= d | (9 - d);
      v = v * 10 + d;
    }
    return notDigit < 0 ? -1 : v;
  }

  private static int daysInMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
  private static long epochDay(int year, int month, int day) {
    long y = month <= 2 ? year - 1 : year;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097 + doe - 719_468;
  }
}
