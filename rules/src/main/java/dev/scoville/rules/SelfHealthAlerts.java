package dev.scoville.rules;

import dev.scoville.core.Labels;
import dev.scoville.rules.notify.ReceiverStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scoville's alerts on itself, as Prometheus's and Alertmanager's meta-monitoring rules watch
 * them: a receiver failing, notifications stuck in the outbox, rules that did not load. They open
 * ordinary incidents, follow the escalation policy named {@code scoville} (the default one when
 * there is none) and so page like any rule, through a fallback route when the failing receiver is
 * the usual one; they resolve once their condition clears.
 */
final class SelfHealthAlerts {
  private static final Logger LOG = LoggerFactory.getLogger(SelfHealthAlerts.class);
  static final String POLICY = "scoville";
  static final String RECEIVER_FAILING = "ScovilleReceiverFailing";
  static final String OUTBOX_NOT_DRAINING = "ScovilleOutboxNotDraining";
  static final String RULES_NOT_LOADED = "ScovilleRulesNotLoaded";
  /** A receiver failing this long pages even without a fallback route; one with a route pages once it is taken. */
  static final Duration RECEIVER_FAILING_FOR = Duration.ofMinutes(2);
  /** Longer than the longest retry backoff (5 min): a notification this old is not merely waiting for its retry. */
  static final Duration OUTBOX_OLDEST_PENDING = Duration.ofMinutes(10);
  private static final Pattern RECEIVER_LABEL = Pattern.compile("receiver=\"([^\"]*)\"");

  private final IncidentService incidents;
  private final Clock clock;
  private final Supplier<List<ReceiverStatus>> receivers;
  private final Supplier<Optional<Instant>> oldestPending;
  private final Supplier<List<String>> ruleProblems;
  private final Handling handling;
  /** Receivers with an open incident of {@link #RECEIVER_FAILING}; null until read from the incidents. */
  private Set<String> alerted;

  SelfHealthAlerts(IncidentService incidents, Clock clock, Supplier<List<ReceiverStatus>> receivers,
      Supplier<Optional<Instant>> oldestPending, Supplier<List<String>> ruleProblems) {
    this.incidents = incidents;
    this.clock = clock;
    this.receivers = receivers;
    this.oldestPending = oldestPending;
    this.ruleProblems = ruleProblems;
    this.handling = new Handling(incidents.knowsPolicy(POLICY) ? POLICY : null, null, List.of());
  }

  /** Opens the alerts whose condition holds, resolves the others. */
  synchronized void check() {
    try {
      Instant now = clock.instant();
      checkReceivers(now);
      checkOutbox(now);
      checkRules(now);
    } catch (RuntimeException e) {
      LOG.warn("Checking Scoville's own health failed; will try again: {}", e.toString());
    }
  }

  private void checkReceivers(Instant now) {
    if (alerted == null) {
      // Incidents opened before a restart: their receiver is in their labels.
      alerted = new HashSet<>();
      incidents.search().find(new IncidentFilter(Set.of(Incident.State.TRIGGERED, Incident.State.ACKNOWLEDGED),
          null, RECEIVER_FAILING, null, null, null, null), 0, 1000).forEach(i -> {
            Matcher m = RECEIVER_LABEL.matcher(i.labels());
            if (m.find()) {
              alerted.add(m.group(1));
            }
          });
    }
    Set<String> failing = new HashSet<>();
    for (ReceiverStatus status : receivers.get()) {
      boolean fires = status.state() == ReceiverStatus.State.FALLBACK
          || status.state() == ReceiverStatus.State.FAILING
          && !now.isBefore(status.failingSince().plus(RECEIVER_FAILING_FOR));
      if (!fires) {
        continue;
      }
      failing.add(status.receiver());
      String summary = status.receiver() + " failing since " + status.failingSince()
          + (status.fallback() == null ? "" : ": paging through " + status.fallback())
          + (status.lastError() == null ? "" : " (" + status.lastError() + ")");
      if (alerted.add(status.receiver())) {
        incidents.open(receiverAlert(status.receiver(), summary, status.failingSince()));
      }
    }
    for (String receiver : Set.copyOf(alerted)) {
      if (!failing.contains(receiver)) {
        incidents.resolve(receiverAlert(receiver, receiver, now), receiver + " takes notifications again");
        alerted.remove(receiver);
      }
    }
  }

  private void checkOutbox(Instant now) {
    Optional<Instant> oldest = oldestPending.get();
    if (oldest.isPresent() && !now.isBefore(oldest.get().plus(OUTBOX_OLDEST_PENDING))) {
      incidents.open(alert(OUTBOX_NOT_DRAINING, Labels.of("alertname", OUTBOX_NOT_DRAINING, "severity", "critical"),
          "A notification has waited in the outbox since " + oldest.get(), oldest.get()));
    } else {
      incidents.resolve(alert(OUTBOX_NOT_DRAINING, Labels.of("alertname", OUTBOX_NOT_DRAINING, "severity", "critical"),
          OUTBOX_NOT_DRAINING, now), "the outbox drains again");
    }
  }

  private void checkRules(Instant now) {
    List<String> problems = ruleProblems.get();
    Labels labels = Labels.of("alertname", RULES_NOT_LOADED, "severity", "warning");
    if (!problems.isEmpty()) {
      incidents.open(alert(RULES_NOT_LOADED, labels, problems.size() + " rule problem(s): "
          + String.join("; ", problems), now));
    } else {
      incidents.resolve(alert(RULES_NOT_LOADED, labels, RULES_NOT_LOADED, now), "every rule loads again");
    }
  }

  private Alert receiverAlert(String receiver, String summary, Instant since) {
    return alert(RECEIVER_FAILING, Labels.of("alertname", RECEIVER_FAILING, "receiver", receiver,
        "severity", "critical"), summary, since);
  }

  private Alert alert(String name, Labels labels, String summary, Instant since) {
    return new Alert(name, labels, summary, Double.NaN, since, handling);
  }
}
