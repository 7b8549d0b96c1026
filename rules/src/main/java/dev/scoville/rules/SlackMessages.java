package dev.scoville.rules;

import com.slack.api.Slack;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.model.ConversationType;
import com.slack.api.model.Message;
import dev.scoville.core.Database;
import dev.scoville.rules.notify.Delivery;
import dev.scoville.rules.notify.DeliveryConfig;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Slack message per incident and channel, through slack-api-client: {@code
 * chat.postMessage} once, then {@code chat.update} of the same {@code ts} for every change, and
 * reminders as replies in its thread. Blocks on HTTP: the outbox calls it from its worker thread,
 * and is the one place that retries.
 */
final class SlackMessages implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SlackMessages.class);
  /** Slack's {@code ok:false} errors that say "later", not "never". */
  private static final Set<String> TRANSIENT =
      Set.of("ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout");
  private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
  /** The metadata event type that marks Scoville's incident messages, with their dedup_key. */
  private static final String METADATA_EVENT = "scoville_incident";

  private final Database database;
  private final EscalationPolicies escalation;
  private final IncidentLinks links;
  private final Slack slack;
  private final MethodsClient methods;
  private final Clock clock;

  SlackMessages(SlackConfig config, Database database, EscalationPolicies escalation, Clock clock) {
    this(config, database, escalation, clock, DeliveryConfig.DEFAULT_TIMEOUT);
  }

  /** Each call to Slack bounded by {@code timeout}. */
  SlackMessages(SlackConfig config, Database database, EscalationPolicies escalation, Clock clock,
      Duration timeout) {
    this.database = database;
    this.escalation = escalation;
    this.clock = clock;
    this.links = new IncidentLinks(config.consoleUrl());
    this.slack = config.sdk(timeout);
    this.methods = slack.methods(config.botToken());
  }

  /**
   * Posts ({@code post}) or edits ({@code update}) the message of {@code incident} in {@code
   * channel}, or replies in its thread ({@code remind}). A post whose message already exists (the
   * worker stopped after Slack took it but before the outbox row was marked) edits it instead, so
   * a channel never gets two. So does a post whose earlier attempt got no answer (killed, or past
   * its deadline): the message it may have left is looked up in the channel before posting again.
   */
  Delivery send(String action, Incident incident, String channel) {
    Optional<Posted> posted = posted(incident.id(), channel);
    IncidentMessage message = new IncidentMessage(incident, escalation, links);
    try {
      if (posted.isEmpty()) {
        if (!action.equals("post")) {
          return Delivery.rejected("no Slack message in " + channel + " to " + action + ": it was never posted");
        }
        Optional<Instant> earlierAttempt = postAttempted(incident.id(), channel);
        if (earlierAttempt.isPresent()) {
          Optional<Posted> found = findPosted(incident, channel, earlierAttempt.get());
          if (found.isPresent()) {
            store(incident.id(), channel, found.get());
            return Delivery.sent("found already posted in " + channel + " (" + found.get().channelId() + ", ts "
                + found.get().ts() + ") by an attempt whose answer was lost");
          }
        } else {
          recordPostAttempt(incident.id(), channel, clock.instant());
        }
        ChatPostMessageResponse response;
        try {
          response = methods.chatPostMessage(r -> r.channel(channel).text(message.text()).blocks(message.blocks())
              .metadata(new Message.Metadata(METADATA_EVENT, Map.of("dedup_key", incident.dedupKey()))));
        } catch (SlackApiException e) {
          // Slack answered, and refused: nothing was posted, the next attempt need not look.
          forgetPostAttempt(incident.id(), channel);
          throw e;
        }
        if (!response.isOk()) {
          forgetPostAttempt(incident.id(), channel);
          return refused(response, channel);
        }
        store(incident.id(), channel, new Posted(response.getChannel(), response.getTs()));
        return Delivery.sent("posted to " + channel + " (" + response.getChannel() + ", ts " + response.getTs() + ")");
      }
      Posted existing = posted.get();
      if (action.equals("remind")) {
        String text = message.reminder(Duration.between(incident.openedAt(), clock.instant()));
        var reply = methods.chatPostMessage(r -> r.channel(existing.channelId()).threadTs(existing.ts()).text(text));
        return reply.isOk()
            ? Delivery.sent("reminded in the thread of " + channel + " (ts " + existing.ts() + ")")
            : refused(reply, channel);
      }
      var response = methods.chatUpdate(r -> r.channel(existing.channelId()).ts(existing.ts())
          .text(message.text()).blocks(message.blocks()));
      return response.isOk()
          ? Delivery.sent("updated in " + channel + " (ts " + existing.ts() + ")")
          : refused(response, channel);
    } catch (SlackApiException e) {
      int status = e.getResponse().code();
      String detail = "Slack answered HTTP " + status + " for " + channel;
      if (status == 429) {
        return Delivery.retryAfter(detail, retryAfter(e.getResponse().header("Retry-After")));
      }
      return status >= 500 ? Delivery.retry(detail) : Delivery.rejected(detail);
    } catch (IOException e) {
      return Delivery.retry("Slack unreachable: " + e);
    }
  }

  private static Delivery refused(SlackApiTextResponse response, String channel) {
    String detail = "Slack refused the message for " + channel + ": " + response.getError();
    return TRANSIENT.contains(response.getError()) ? Delivery.retryAfter(detail, DEFAULT_RETRY_AFTER)
        : Delivery.rejected(detail);
  }

  private static Duration retryAfter(String header) {
    try {
      return header == null ? DEFAULT_RETRY_AFTER : Duration.ofSeconds(Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return DEFAULT_RETRY_AFTER;
    }
  }

  /**
   * The message an earlier attempt posted for {@code incident} in {@code channel}, found by its
   * metadata among the messages posted since that attempt (Slack keeps them in order; a bot sees
   * its own metadata with {@code include_all_metadata}).
   */
  private Optional<Posted> findPosted(Incident incident, String channel, Instant since)
      throws IOException, SlackApiException {
    Optional<String> channelId = channelId(channel);
    if (channelId.isEmpty()) {
      return Optional.empty();
    }
    String oldest = String.format("%d.%06d", since.getEpochSecond() - 60, 0);
    var history = methods.conversationsHistory(r -> r.channel(channelId.get()).oldest(oldest).limit(1000)
        .includeAllMetadata(true));
    if (!history.isOk()) {
      throw new IOException("conversations.history for " + channel + " answered " + history.getError());
    }
    return history.getMessages().stream()
        .filter(m -> m.getMetadata() != null && METADATA_EVENT.equals(m.getMetadata().getEventType())
            && m.getMetadata().getEventPayload() != null
            && incident.dedupKey().equals(m.getMetadata().getEventPayload().get("dedup_key")))
        .map(m -> new Posted(channelId.get(), m.getTs()))
        .findFirst();
  }

  /**
   * A channel's id, which conversations.history needs where chat.postMessage takes a name: from
   * an earlier message in the channel, else from the list of channels the bot can see.
   */
  private Optional<String> channelId(String channel) throws IOException, SlackApiException {
    Optional<String> known = database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement(
          "SELECT channel_id FROM slack_message WHERE target = ? FETCH FIRST 1 ROW ONLY")) {
        st.setString(1, channel);
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
      }
    });
    if (known.isPresent()) {
      return known;
    }
    String name = channel.startsWith("#") ? channel.substring(1) : channel;
    String cursor = null;
    do {
      String page = cursor;
      var list = methods.conversationsList(r -> r.cursor(page).limit(1000).excludeArchived(true)
          .types(List.of(ConversationType.PUBLIC_CHANNEL, ConversationType.PRIVATE_CHANNEL)));
      if (!list.isOk()) {
        throw new IOException("conversations.list answered " + list.getError());
      }
      for (var conversation : list.getChannels()) {
        if (name.equals(conversation.getName()) || name.equals(conversation.getId())) {
          return Optional.of(conversation.getId());
        }
      }
      cursor = list.getResponseMetadata() == null ? null : list.getResponseMetadata().getNextCursor();
    } while (cursor != null && !cursor.isEmpty());
    return Optional.empty();
  }

  private Optional<Instant> postAttempted(long incidentId, String channel) {
    return database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement(
          "SELECT attempted_at FROM slack_post_attempt WHERE incident_id = ? AND target = ?")) {
        st.setLong(1, incidentId);
        st.setString(2, channel);
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
        }
      }
    });
  }

  private void recordPostAttempt(long incidentId, String channel, Instant at) {
    database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement(
          "INSERT INTO slack_post_attempt (incident_id, target, attempted_at) VALUES (?, ?, ?)")) {
        st.setLong(1, incidentId);
        st.setString(2, channel);
        st.setTimestamp(3, Timestamp.from(at));
        st.executeUpdate();
      }
      return null;
    });
  }

  private void forgetPostAttempt(long incidentId, String channel) {
    database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement(
          "DELETE FROM slack_post_attempt WHERE incident_id = ? AND target = ?")) {
        st.setLong(1, incidentId);
        st.setString(2, channel);
        st.executeUpdate();
      }
      return null;
    });
  }

  private Optional<Posted> posted(long incidentId, String channel) {
    return database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement(
          "SELECT channel_id, ts FROM slack_message WHERE incident_id = ? AND target = ?")) {
        st.setLong(1, incidentId);
        st.setString(2, channel);
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() ? Optional.of(new Posted(rs.getString(1), rs.getString(2))) : Optional.empty();
        }
      }
    });
  }

  private void store(long incidentId, String channel, Posted posted) {
    database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement(
          "INSERT INTO slack_message (incident_id, target, channel_id, ts) VALUES (?, ?, ?, ?)")) {
        st.setLong(1, incidentId);
        st.setString(2, channel);
        st.setString(3, posted.channelId());
        st.setString(4, posted.ts());
        st.executeUpdate();
      }
      try (PreparedStatement st = c.prepareStatement(
          "DELETE FROM slack_post_attempt WHERE incident_id = ? AND target = ?")) {
        st.setLong(1, incidentId);
        st.setString(2, channel);
        st.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public void close() {
    try {
      slack.close();
    } catch (Exception e) {
      LOG.warn("Slack client did not close cleanly: {}", e.toString());
    }
  }

  /** Where Slack keeps a message: {@code chat.update} needs the channel's id, not its name. */
  private record Posted(String channelId, String ts) {}
}
