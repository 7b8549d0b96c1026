package dev.scoville.console;

import dev.scoville.contingency.Actor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Who may use the console and the API, with their role. Passwords are compared in constant time. */
final class Users {
  /** A signed-in person. */
  record Person(String name, String role) {
    /** Who runs actions: a {@code commander} commands, anyone else responds. */
    Actor actor() {
      return new Actor(name, "commander".equalsIgnoreCase(role) ? Actor.Role.COMMANDER : Actor.Role.RESPONDER);
    }
  }

  private final Map<String, ConsoleConfig.User> byName;

  Users(List<ConsoleConfig.User> users) {
    this.byName = users.stream().collect(Collectors.toMap(ConsoleConfig.User::name, Function.identity()));
  }

  /** The demo's one user, a commander with a fresh random password (printed on start). */
  static ConsoleConfig.User demoCommander() {
    byte[] secret = new byte[9];
    new SecureRandom().nextBytes(secret);
    return new ConsoleConfig.User("commander", HexFormat.of().formatHex(secret), "commander");
  }

  Optional<Person> authenticate(String name, String password) {
    ConsoleConfig.User user = name == null ? null : byName.get(name);
    byte[] given = (password == null ? "" : password).getBytes(StandardCharsets.UTF_8);
    byte[] expected = (user == null || user.password() == null ? "\0unknown" : user.password()).getBytes(StandardCharsets.UTF_8);
    boolean match = MessageDigest.isEqual(given, expected);
    return user != null && match ? Optional.of(new Person(user.name(), user.role())) : Optional.empty();
  }
}
