package dev.scoville.rules;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.element.BlockElement;
import dev.scoville.core.PrometheusDuration;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Slack message of one incident as Block Kit blocks, rendered afresh from the incident on
 * every post and update, so that the message always shows where the incident stands. Buttons
 * carry the incident id in their action id ({@code acknowledge:42}) for {@link SlackInteractions}.
 */
final class IncidentMessage {
  static final String ACKNOWLEDGE = "acknowledge";
  static final String OPEN_RUNBOOK = "open_runbook";
  static final String RUN_ACTION = "run_action";

  private final Incident incident;
  private final EscalationPolicies escalation;
  private final IncidentLinks links;

  IncidentMessage(Incident incident, EscalationPolicies escalation, IncidentLinks links) {
    this.incident = incident;
    this.escalation = escalation;
    this.links = links;
  }

  /** The notification text: what Slack shows where blocks can't be shown. */
  String text() {
    return title() + ": " + incident.summary() + " (" + state() + ")";
  }

  /** The reply in the message's thread while the incident stays unacknowledged. */
  String reminder(Duration unacknowledgedFor) {
    String text = "Still firing and unacknowledged after "
        + PrometheusDuration.format(unacknowledgedFor.truncatedTo(ChronoUnit.SECONDS));
    return links.incident(incident).map(url -> text + " · <" + url + "|Incident " + incident.id() + " in Scoville>")
        .orElse(text);
  }

  List<LayoutBlock> blocks() {
    List<LayoutBlock> blocks = new ArrayList<>();
    blocks.add(header(h -> h.text(plainText(truncate(title(), 150)))));
    blocks.add(section(s -> s.text(markdownText(truncate(escape(incident.summary()), 3000)))
        .fields(List.of(markdownText("*State*\n" + escape(state())), markdownText("*Escalation*\n" + escalationText())))));
    blocks.add(context(List.of(markdownText(truncate("Labels: `" + escape(incident.labels()) + "`", 3000)))));
    List<String> linkTexts = new ArrayList<>();
    links.incident(incident).ifPresent(url -> linkTexts.add("<" + url + "|Incident " + incident.id() + " in Scoville>"));
    links.runbook(incident).ifPresent(url -> linkTexts.add("<" + url + "|Runbook " + escape(incident.runbook()) + ">"));
    if (!linkTexts.isEmpty()) {
      blocks.add(section(s -> s.text(markdownText(String.join(" · ", linkTexts)))));
    }
    List<BlockElement> buttons = buttons();
    if (!buttons.isEmpty()) {
      blocks.add(actions(a -> a.blockId("incident:" + incident.id()).elements(buttons)));
    }
    return blocks;
  }

  private List<BlockElement> buttons() {
    List<BlockElement> buttons = new ArrayList<>();
    String id = String.valueOf(incident.id());
    if (incident.state() == Incident.State.TRIGGERED) {
      buttons.add(button(b -> b.actionId(ACKNOWLEDGE + ":" + id).value(id).style("primary")
          .text(plainText("Acknowledge"))));
    }
    links.runbook(incident).ifPresent(url -> buttons.add(button(b -> b.actionId(OPEN_RUNBOOK + ":" + id)
        .value(id).url(url).text(plainText("Open runbook")))));
    Optional<String> action = incident.isOpen() ? incident.actions().stream().findFirst() : Optional.empty();
    action.flatMap(name -> links.action(incident, name)).ifPresent(url -> buttons.add(button(b -> b
        .actionId(RUN_ACTION + ":" + id).value(action.get()).url(url)
        .text(plainText(truncate("Run suggested action: " + action.get(), 75))))));
    return buttons;
  }

  private String title() {
    return (incident.isDrill() ? Incident.DRILL_PREFIX : "") + "[" + incident.severity() + "] " + incident.rule();
  }

  private String state() {
    return switch (incident.state()) {
      case TRIGGERED -> "Triggered " + incident.openedAt();
      case ACKNOWLEDGED -> "Acknowledged by " + incident.acknowledgedBy() + " " + incident.acknowledgedAt();
      case RESOLVED -> "Resolved " + incident.resolvedAt();
    };
  }

  private String escalationText() {
    List<EscalationPolicies.Level> levels = escalation.levels(incident.escalation());
    int reached = Math.min(incident.escalationLevel(), levels.size());
    String policy = incident.escalation() == null ? EscalationPolicies.DEFAULT : incident.escalation();
    String text = escape(policy) + ": level " + reached + " of " + levels.size();
    return reached == 0 ? text : text + " (" + escape(levels.get(reached - 1).describe()) + ")";
  }

  /** Slack's mrkdwn needs only these three escaped. */
  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
