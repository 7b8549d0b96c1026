package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoville.core.Database;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slack has no idempotency key: a chat.postMessage whose answer never came back may still have
 * posted. A process SIGKILLed while Slack held that answer, restarted, posts no second message:
 * it finds the first one by its metadata and edits it from then on.
 */
class SlackPostOnceTest {
  @TempDir
  Path dir;

  @Test
  void anIncidentGetsOneSlackMessageWhenTheProcessDiesBeforeSlackAnswersThePost() throws Exception {
    String jdbcUrl = "jdbc:h2:file:" + dir.resolve("scoville");
    try (SlackApiFake slack = SlackApiFake.start()) {
      slack.stallNextPost(60_000);
      Process drill = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), SlackPostDrill.class.getName(), jdbcUrl,
          slack.methodsUrl().toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      assertThat(slack.awaitStalledPost(30_000)).as("Slack took the post").isTrue();
      drill.destroyForcibly().waitFor();
      assertThat(drill.exitValue()).as("killed by SIGKILL").isEqualTo(137);

      try (Database database = Database.open(jdbcUrl)) {
        database.migrate("rules");
        Clock clock = Clock.systemUTC();
        SlackConfig config = SlackPostDrill.config(slack.methodsUrl());
        IncidentService incidents = new IncidentService(database, clock, EscalationPolicies.defaults(config));
        OutboxSender outbox = SlackPostDrill.outbox(database, incidents, config, clock);
        outbox.sendDue();
        incidents.resolve(SlackPostDrill.ALERT);
        outbox.sendDue();
      }

      assertThat(slack.messages()).as("messages in the channel").isEqualTo(1);
      String ts = slack.calls().stream().filter(c -> c.method().equals("chat.update")).findFirst()
          .orElseThrow().param("ts");
      assertThat(ts).isEqualTo("1764234000.000001");
      assertThat(slack.calls()).extracting(SlackApiFake.Call::method)
          .containsSubsequence("chat.postMessage", "conversations.list", "conversations.history", "chat.update")
          .containsOnlyOnce("chat.postMessage");
    }
  }
}
