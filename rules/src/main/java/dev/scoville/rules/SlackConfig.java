package dev.scoville.rules;

import com.slack.api.Slack;
import java.net.URI;
import java.time.Duration;

/**
 * The {@code slack} section. {@code botToken} and {@code signingSecret} are secrets: write them
 * as {@code ${SLACK_BOT_TOKEN}} and {@code ${SLACK_SIGNING_SECRET}}. {@code channel} receives
 * incidents of rules that name no escalation policy; {@code methodsUrl} is Slack's Web API
 * unless a test or the demo points it elsewhere.
 */
public record SlackConfig(URI methodsUrl, String botToken, String signingSecret, String channel, URI consoleUrl) {
  private static final URI SLACK_API = URI.create("https://slack.com/api/");

  public SlackConfig {
    methodsUrl = methodsUrl == null ? SLACK_API : methodsUrl;
    // The client appends method names to the prefix as they are.
    if (!methodsUrl.toString().endsWith("/")) {
      methodsUrl = URI.create(methodsUrl + "/");
    }
  }

  /**
   * A Slack SDK instance of our own (the SDK's default one is shared by the whole JVM), each call
   * bounded by {@code timeout}.
   */
  Slack sdk(Duration timeout) {
    com.slack.api.SlackConfig sdk = new com.slack.api.SlackConfig();
    sdk.setMethodsEndpointUrlPrefix(methodsUrl.toString());
    // Its stats would send auth.test before the first call: nothing Scoville reads.
    sdk.getMethodsConfig().setStatsEnabled(false);
    sdk.setHttpClientCallTimeoutMillis((int) timeout.toMillis());
    return Slack.getInstance(sdk);
  }

  public static SlackConfig none() {
    return new SlackConfig(null, null, null, null, null);
  }

  /** Slack messages are sent only with a bot token. */
  public boolean enabled() {
    return botToken != null && !botToken.isBlank();
  }

  public SlackConfig withConsoleUrl(URI url) {
    return new SlackConfig(methodsUrl, botToken, signingSecret, channel, url);
  }

  @Override
  public String toString() {
    return "SlackConfig[methodsUrl=" + methodsUrl + ", botToken=(secret), signingSecret=(secret), channel="
        + channel + ", consoleUrl=" + consoleUrl + "]";
  }
}
