package dev.scoville.rules.promql;

/**
 * The calendar fields of {@code time.Unix(int64(v), 0).UTC()} computed as Go computes them, so
 * that the date functions answer what Prometheus answers for any value: Go's float-to-int64
 * conversion gives the most negative int64 for NaN, ±Inf and values out of range (on amd64, where
 * Prometheus runs), and Go's calendar then works on a wrapped unsigned count of seconds since
 * the year -292277022399, where {@link java.time} would refuse. Years are as Go returns them.
 */
final class GoCalendar {
  private static final long SECONDS_PER_DAY = 86_400;
  private static final long DAYS_PER_400_YEARS = 365 * 400 + 97;
  private static final long DAYS_PER_100_YEARS = 365 * 100 + 24;
  private static final long DAYS_PER_4_YEARS = 365 * 4 + 1;
  private static final long ABSOLUTE_ZERO_YEAR = -292277022399L;
  private static final long UNIX_TO_INTERNAL = (1969L * 365 + 1969 / 4 - 1969 / 100 + 1969 / 400) * SECONDS_PER_DAY;
  /** Go's exact constant {@code -(absoluteZeroYear - 1) * 365.2425 * secondsPerDay}. */
  private static final long INTERNAL_TO_ABSOLUTE =
      (-(ABSOLUTE_ZERO_YEAR - 1) * 365 + -(ABSOLUTE_ZERO_YEAR - 1) / 400 * 97) * SECONDS_PER_DAY;
  private static final int[] DAYS_BEFORE = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};

  /** Unsigned seconds since Go's absolute zero; wraps as Go's int64 and uint64 arithmetic do. */
  private final long abs;

  private GoCalendar(long unixSeconds) {
    this.abs = unixSeconds + (UNIX_TO_INTERNAL + INTERNAL_TO_ABSOLUTE);
  }

  static GoCalendar ofSeconds(double value) {
    return new GoCalendar(goInt64(value));
  }

  static GoCalendar ofUnixSeconds(long seconds) {
    return new GoCalendar(seconds);
  }

  /** Go's {@code int64(v)} on amd64: truncation, and the minimum for anything out of range. */
  static long goInt64(double v) {
    if (Double.isNaN(v) || v >= 0x1p63 || v < -0x1p63) {
      return Long.MIN_VALUE;
    }
    return (long) v;
  }

  int hour() {
    return (int) (Long.remainderUnsigned(abs, SECONDS_PER_DAY) / 3600);
  }

  int minute() {
    return (int) (Long.remainderUnsigned(abs, 3600) / 60);
  }

  /** Sunday is 0. */
  int dayOfWeek() {
    long sec = Long.remainderUnsigned(abs + SECONDS_PER_DAY, 7 * SECONDS_PER_DAY);
    return (int) (sec / SECONDS_PER_DAY);
  }

  long year() {
    return date()[0];
  }

  int month() {
    return (int) date()[1];
  }

  int dayOfMonth() {
    return (int) date()[2];
  }

  int dayOfYear() {
    return (int) date()[3] + 1;
  }

  int daysInMonth() {
    long[] date = date();
    int month = (int) date[1];
    return month == 2 && isLeap(date[0]) ? 29 : DAYS_BEFORE[month] - DAYS_BEFORE[month - 1];
  }

  /** Go's {@code absDate}: year, month (1-12), day of month, day of year (0-based). */
  private long[] date() {
    long d = Long.divideUnsigned(abs, SECONDS_PER_DAY);
    long n = d / DAYS_PER_400_YEARS;
    long y = 400 * n;
    d -= DAYS_PER_400_YEARS * n;
    n = d / DAYS_PER_100_YEARS;
    n -= n >> 2;
    y += 100 * n;
    d -= DAYS_PER_100_YEARS * n;
    n = d / DAYS_PER_4_YEARS;
    y += 4 * n;
    d -= DAYS_PER_4_YEARS * n;
    n = d / 365;
    n -= n >> 2;
    y += n;
    d -= 365 * n;
    long year = y + ABSOLUTE_ZERO_YEAR;
    int yday = (int) d;
    int day = yday;
    if (isLeap(year)) {
      if (day > 31 + 29 - 1) {
        day--;
      } else if (day == 31 + 29 - 1) {
        return new long[] {year, 2, 29, yday};
      }
    }
    int month = day / 31;
    int end = DAYS_BEFORE[month + 1];
    int begin;
    if (day >= end) {
      month++;
      begin = end;
    } else {
      begin = DAYS_BEFORE[month];
    }
    return new long[] {year, month + 1, day - begin + 1, yday};
  }

  private static boolean isLeap(long year) {
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  }
}
