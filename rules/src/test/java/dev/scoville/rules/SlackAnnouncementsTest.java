package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlackAnnouncementsTest {
  private static final String TOKEN = "xoxb-announcements";
  private SlackApiFake slackApi;
  private SlackAnnouncements announcements;

  @BeforeEach
  void start() throws Exception {
    slackApi = SlackApiFake.start();
    announcements = new SlackAnnouncements(
        new SlackConfig(slackApi.methodsUrl(), TOKEN, "signing-secret", "#customer-care", null));
  }

  @AfterEach
  void stop() throws Exception {
    announcements.close();
    slackApi.close();
  }

  @Test
  void postsTheHeadlineAndMessageToTheConfiguredChannel() throws Exception {
    String where = announcements.post("Orders ship a little later", "Because of a *payment outage*, orders ship within 3 days.");

    assertThat(where).startsWith("Slack #customer-care (ts ");
    SlackApiFake.Call call = slackApi.calls().get(0);
    assertThat(call.method()).isEqualTo("chat.postMessage");
    assertThat(call.authorization()).isEqualTo("Bearer " + TOKEN);
    assertThat(call.param("channel")).isEqualTo("#customer-care");
    assertThat(call.blocks().get(0).path("text").path("text").asText()).isEqualTo("Orders ship a little later");
    assertThat(call.blocks().get(1).path("text").path("text").asText()).contains("*payment outage*");
  }

  @Test
  void saysWhySlackRefused() {
    slackApi.answerNext(200, null, "{\"ok\":false,\"error\":\"channel_not_found\"}");

    assertThatThrownBy(() -> announcements.post("h", "m"))
        .isInstanceOf(IOException.class)
        .hasMessage("Slack refused the message to #customer-care: channel_not_found");
  }
}
