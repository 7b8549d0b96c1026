package dev.scoville.rules;

import com.slack.api.Slack;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.model.block.Blocks;
import com.slack.api.model.block.composition.BlockCompositions;
import dev.scoville.rules.notify.DeliveryConfig;
import java.io.IOException;

/**
 * One-off messages to the Slack channel of the {@code slack} section, such as a customer message
 * for the support team to relay. Not an incident's message, so no outbox: the caller (an audited
 * action with its own timeout and result) is the record. Blocks: call it from a worker thread.
 */
public final class SlackAnnouncements implements AutoCloseable {
  private final SlackConfig config;
  private final Slack slack;
  private final MethodsClient methods;

  public SlackAnnouncements(SlackConfig config) {
    if (!config.enabled() || config.channel() == null) {
      throw new IllegalArgumentException("Slack announcements need slack.botToken and slack.channel");
    }
    this.config = config;
    this.slack = config.sdk(DeliveryConfig.DEFAULT_TIMEOUT);
    this.methods = slack.methods(config.botToken());
  }

  /** Posts {@code headline} and {@code message}; returns where it went, or throws with Slack's reason. */
  public String post(String headline, String message) throws IOException {
    try {
      var response = methods.chatPostMessage(r -> r.channel(config.channel()).text(headline + "\n" + message)
          .blocks(Blocks.asBlocks(
              Blocks.header(h -> h.text(BlockCompositions.plainText(headline))),
              Blocks.section(s -> s.text(BlockCompositions.markdownText(message))))));
      if (!response.isOk()) {
        throw new IOException("Slack refused the message to " + config.channel() + ": " + response.getError());
      }
      return "Slack " + config.channel() + " (ts " + response.getTs() + ")";
    } catch (SlackApiException e) {
      throw new IOException("Slack answered " + e.getResponse().code() + " for " + config.channel(), e);
    }
  }

  @Override
  public void close() throws Exception {
    slack.close();
  }
}
