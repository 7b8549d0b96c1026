package dev.scoville.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoville.contingency.Actor;
import dev.scoville.core.ConfigException;
import dev.scoville.core.ConfigFile;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCrypt;

class UsersTest {
  @Test
  void aCommanderCommandsAndEveryoneElseResponds() {
    assertThat(new Users.Person("alice", "commander").actor()).isEqualTo(new Actor("alice", Actor.Role.COMMANDER));
    assertThat(new Users.Person("rita", "responder").actor()).isEqualTo(new Actor("rita", Actor.Role.RESPONDER));
    assertThat(new Users.Person("sam", null).actor().role()).isEqualTo(Actor.Role.RESPONDER);
  }

  @Test
  void bcryptHashesOfEveryVariantAreAcceptedAndOnlyTheRightPasswordMatches() {
    String b = HashPassword.hash("correct horse");
    String a = "$2a" + b.substring(3);
    String y = "$2y" + b.substring(3);
    // A hash from the configuration file, written by another tool (htpasswd -B writes $2y$).
    ConfigFile config = ConfigFile.parse("s.yaml", """
        users:
          - { name: alice, password: '%s', role: commander }
          - { name: bob, password: "%s" }
          - { name: carol, password: %s }
          - { name: dave, password: plain }
        """.formatted(b, a, y), Map.of());
    Users users = new Users(Arrays.asList(config.section("users", ConsoleConfig.User[].class, null)));

    for (String name : List.of("alice", "bob", "carol")) {
      assertThat(users.authenticate(name, "correct horse")).as(name).isPresent();
      assertThat(users.authenticate(name, "correct horse")).as(name + ", again (remembered)").isPresent();
      assertThat(users.authenticate(name, "wrong horse")).as(name).isEmpty();
    }
    assertThat(users.authenticate("dave", "plain")).isPresent();
    assertThat(users.authenticate("nobody", "correct horse")).isEmpty();
    assertThat(users.withPlaintextPasswords()).containsExactly("dave");
  }

  @Test
  void aMangledHashIsRefusedAtLoadWithoutShowingIt() {
    ConfigFile config = ConfigFile.parse("s.yaml", "users:\n  - name: alice\n    password: '$2b$12$tooShort'\n", Map.of());

    assertThatThrownBy(() -> config.section("users", ConsoleConfig.User[].class, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("s.yaml:3:15: users[0].password: user alice has a value that starts like a bcrypt hash")
        .hasMessageNotContaining("tooShort");
  }

  @Test
  void theCommandPrintsAHashOfWhatItReads() {
    String hash = HashPassword.hash("pässword #1");

    assertThat(ConsoleConfig.User.isHash(hash)).isTrue();
    assertThat(BCrypt.checkpw("pässword #1", hash)).isTrue();
  }
}
