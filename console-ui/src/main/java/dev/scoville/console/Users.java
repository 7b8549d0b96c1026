package dev.scoville.console;

import dev.scoville.contingency.Actor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * Who may use the console and the API, with their role. A password is a bcrypt hash ({@code
 * $2a$}, {@code $2b$} or {@code $2y$}) or, for the demo and for trying out, plaintext compared in
 * constant time.
 */
final class Users {
  /** A signed-in person. */
  record Person(String name, String role) {
    /** Who runs actions: a {@code commander} commands, anyone else responds. */
    Actor actor() {
      return new Actor(name, "commander".equalsIgnoreCase(role) ? Actor.Role.COMMANDER : Actor.Role.RESPONDER);
    }
  }

  /** Checked against when the name is unknown, so that a wrong name costs what a wrong password does. */
  private static final String UNKNOWN_USER_HASH = BCrypt.hashpw("unknown user", BCrypt.gensalt(HashPassword.COST));

  private final Map<String, ConsoleConfig.User> byName;
  private final boolean anyHash;
  /**
   * A keyed digest of the password last verified against each bcrypt hash: API clients send HTTP
   * Basic with every request, and a bcrypt check per request would cost each a quarter second.
   */
  private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
  private final byte[] verifiedKey = new byte[32];

  Users(List<ConsoleConfig.User> users) {
    this.byName = users.stream().collect(Collectors.toMap(ConsoleConfig.User::name, Function.identity()));
    this.anyHash = users.stream().anyMatch(u -> ConsoleConfig.User.isHash(u.password()));
    new SecureRandom().nextBytes(verifiedKey);
  }

  /** The demo's one user, a commander with a fresh random password (printed on start). */
  static ConsoleConfig.User demoCommander() {
    byte[] secret = new byte[9];
    new SecureRandom().nextBytes(secret);
    return new ConsoleConfig.User("commander", HexFormat.of().formatHex(secret), "commander");
  }

  /** The people whose password is written in plaintext. */
  List<String> withPlaintextPasswords() {
    return byName.values().stream().filter(u -> !ConsoleConfig.User.isHash(u.password()))
        .map(ConsoleConfig.User::name).sorted().toList();
  }

  /** May take a quarter second (bcrypt): call it off the event loop. */
  Optional<Person> authenticate(String name, String password) {
    ConsoleConfig.User user = name == null ? null : byName.get(name);
    String given = password == null ? "" : password;
    if (user == null) {
      if (anyHash) {
        matchesHash(given, UNKNOWN_USER_HASH);
      } else {
        MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), "\0unknown".getBytes(StandardCharsets.UTF_8));
      }
      return Optional.empty();
    }
    boolean match;
    if (ConsoleConfig.User.isHash(user.password())) {
      byte[] digest = digest(given);
      byte[] known = verified.get(user.name());
      match = known != null && MessageDigest.isEqual(known, digest);
      if (!match && matchesHash(given, user.password())) {
        verified.put(user.name(), digest);
        match = true;
      }
    } else {
      match = MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), user.password().getBytes(StandardCharsets.UTF_8));
    }
    return match ? Optional.of(new Person(user.name(), user.role())) : Optional.empty();
  }

  private static boolean matchesHash(String password, String hash) {
    try {
      return BCrypt.checkpw(password, hash);
    } catch (IllegalArgumentException longerThanBcryptReads) {
      return false;
    }
  }

  private byte[] digest(String password) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(verifiedKey);
      return sha.digest(password.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
