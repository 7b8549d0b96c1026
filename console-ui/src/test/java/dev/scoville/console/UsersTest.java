package dev.scoville.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.contingency.Actor;
import org.junit.jupiter.api.Test;

class UsersTest {
  @Test
  void aCommanderCommandsAndEveryoneElseResponds() {
    assertThat(new Users.Person("alice", "commander").actor()).isEqualTo(new Actor("alice", Actor.Role.COMMANDER));
    assertThat(new Users.Person("rita", "responder").actor()).isEqualTo(new Actor("rita", Actor.Role.RESPONDER));
    assertThat(new Users.Person("sam", null).actor().role()).isEqualTo(Actor.Role.RESPONDER);
  }
}
