package dev.scoville.console;

import io.prometheus.client.Counter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one door for the console's login form and the API's HTTP Basic: checks the password,
 * throttles guessing (per name and per address), logs each failure at WARN and counts it in
 * {@code scoville_signin_failures_total}. No password is ever logged.
 */
final class SignIn {
  private static final Logger LOG = LoggerFactory.getLogger(SignIn.class);
  private static final Counter FAILURES = Counter.build("scoville_signin_failures_total",
          "Sign-ins refused, by where they came in (api, console) and why (wrong_password, throttled).")
      .labelNames("via", "reason").register();

  enum Via {
    API, CONSOLE;

    String label() {
      return name().toLowerCase();
    }
  }

  /** What came of an attempt. */
  sealed interface Outcome permits SignedIn, Refused, Throttled {}

  record SignedIn(Users.Person person) implements Outcome {}

  record Refused() implements Outcome {}

  /** Too many failures: try again after {@code retryAfter}, whatever the password. */
  record Throttled(Duration retryAfter) implements Outcome {
    long seconds() {
      return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
  }

  static {
    // Present at 0 from the start, so that rate() sees the first failure.
    for (Via via : Via.values()) {
      FAILURES.labels(via.label(), "wrong_password");
      FAILURES.labels(via.label(), "throttled");
    }
  }

  private final Users users;
  private final SignInThrottle throttle;

  SignIn(Users users, Clock clock) {
    this.users = users;
    this.throttle = new SignInThrottle(clock);
  }

  Users users() {
    return users;
  }

  /** May take a quarter second (bcrypt): call it off the event loop. */
  Outcome attempt(String name, String password, String address, Via via) {
    Optional<Duration> wait = throttle.waitFor(name, address);
    if (wait.isPresent()) {
      FAILURES.labels(via.label(), "throttled").inc();
      return new Throttled(wait.get());
    }
    Optional<Users.Person> person = users.authenticate(name, password);
    if (person.isPresent()) {
      throttle.succeeded(name, address);
      return new SignedIn(person.get());
    }
    int failures = throttle.failed(name, address);
    FAILURES.labels(via.label(), "wrong_password").inc();
    LOG.warn("Sign-in failed ({}): user {} from {}, {} failure(s) in a row{}", via.label(), printable(name),
        printable(address), failures, throttle.waitFor(name, address)
            .map(w -> "; further attempts refused for " + new Throttled(w).seconds() + " s").orElse(""));
    return new Refused();
  }

  /** A name as typed, quoted and cut short, with nothing in it that could forge a log line. */
  static String printable(String text) {
    if (text == null) {
      return "(none)";
    }
    StringBuilder out = new StringBuilder("'");
    text.codePoints().limit(64).forEach(c -> {
      if (Character.isISOControl(c) || c == '\'' || c == '\\') {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.append(text.codePointCount(0, text.length()) > 64 ? "…'" : "'").toString();
  }
}
