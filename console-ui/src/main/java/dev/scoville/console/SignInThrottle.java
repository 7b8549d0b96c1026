package dev.scoville.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down guessing. Failed sign-ins are counted per user name and per client address; after a
 * few, each further attempt waits twice as long as the one before, and after many the name or
 * address is locked out for a while. While waiting, attempts are refused unchecked, so guessing
 * faster gains nothing. A success clears both counts; a quiet hour forgets them.
 */
final class SignInThrottle {
  /** How a count turns into a wait: free failures, then doubling from a second, then lockout. */
  record Policy(int freeFailures, int lockoutAfter, Duration lockout) {
    Duration waitAfter(int failures) {
      if (failures < freeFailures) {
        return Duration.ZERO;
      }
      if (failures >= lockoutAfter) {
        return lockout;
      }
      return Duration.ofSeconds(1L << Math.min(failures - freeFailures, 20));
    }
  }

  /** One person: 3 free tries, then 1 s, 2 s, … 64 s, locked 15 minutes from the 10th failure. */
  static final Policy PER_USER = new Policy(3, 10, Duration.ofMinutes(15));
  /**
   * One address: more room, as an office or a reverse proxy puts many people behind one address;
   * still a cap on someone trying many names.
   */
  static final Policy PER_ADDRESS = new Policy(10, 30, Duration.ofMinutes(15));
  private static final Duration FORGET_AFTER = Duration.ofHours(1);
  /** Bounds memory when someone sends endless made-up names: the oldest entries go first. */
  private static final int MAX_ENTRIES = 10_000;

  private record Failures(int count, Instant last) {}

  private final Clock clock;
  private final Map<String, Failures> byUser = bounded();
  private final Map<String, Failures> byAddress = bounded();

  SignInThrottle(Clock clock) {
    this.clock = clock;
  }

  /** How long until {@code user} from {@code address} may try again; empty when they may now. */
  synchronized Optional<Duration> waitFor(String user, String address) {
    Instant now = clock.instant();
    Duration wait = max(remaining(byUser.get(key(user)), PER_USER, now), remaining(byAddress.get(key(address)), PER_ADDRESS, now));
    return wait.isZero() ? Optional.empty() : Optional.of(wait);
  }

  /** Records a failure; returns the failures in a row for this user name. */
  synchronized int failed(String user, String address) {
    Instant now = clock.instant();
    byAddress.put(key(address), next(byAddress.get(key(address)), now));
    Failures forUser = next(byUser.get(key(user)), now);
    byUser.put(key(user), forUser);
    return forUser.count();
  }

  synchronized void succeeded(String user, String address) {
    byUser.remove(key(user));
    byAddress.remove(key(address));
  }

  private static Failures next(Failures previous, Instant now) {
    boolean forgotten = previous == null || previous.last().plus(FORGET_AFTER).isBefore(now);
    return new Failures(forgotten ? 1 : previous.count() + 1, now);
  }

  private static Duration remaining(Failures failures, Policy policy, Instant now) {
    if (failures == null) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(now, failures.last().plus(policy.waitAfter(failures.count())));
    return left.isNegative() ? Duration.ZERO : left;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static String key(String value) {
    return value == null ? "" : value;
  }

  private static Map<String, Failures> bounded() {
    return new LinkedHashMap<>(64, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
        return size() > MAX_ENTRIES;
      }
    };
  }
}
