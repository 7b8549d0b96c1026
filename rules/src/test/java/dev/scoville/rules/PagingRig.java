package dev.scoville.rules;

import dev.scoville.core.Database;
import dev.scoville.rules.notify.PagerDutyConfig;
import dev.scoville.shop.PagerDutySink;
import java.io.IOException;
import java.net.URI;
import java.util.UUID;

/**
 * What a paging test stands on: a fresh in-memory database with the rules' tables, and Slack and
 * PagerDuty stand-ins on loopback, with the configurations that point at them.
 */
final class PagingRig implements AutoCloseable {
  static final String ROUTING_KEY = "0123456789abcdef0123456789abcdef";

  final Database database;
  final SlackApiFake slack;
  private final int pagerDutyPort;
  private PagerDutySink pagerDuty;

  private PagingRig(Database database, SlackApiFake slack, PagerDutySink pagerDuty) {
    this.database = database;
    this.slack = slack;
    this.pagerDuty = pagerDuty;
    this.pagerDutyPort = pagerDuty.eventsUri().getPort();
  }

  static PagingRig start() throws IOException {
    return new PagingRig(memoryDatabase(), SlackApiFake.start(), PagerDutySink.start(0));
  }

  /** A database of its own for each test, gone when closed. */
  static Database memoryDatabase() {
    Database database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    database.migrate("rules");
    return database;
  }

  PagerDutySink pagerDuty() {
    return pagerDuty;
  }

  /** PagerDuty goes away: its port refuses connections until {@link #pagerDutyBack()}. */
  void pagerDutyDown() {
    pagerDuty.close();
  }

  /** PagerDuty answers again on the same port, having received nothing yet. */
  void pagerDutyBack() throws IOException {
    pagerDuty = PagerDutySink.start(pagerDutyPort);
  }

  /** The default routing key to the PagerDuty stand-in. */
  PagerDutyConfig pagerDutyConfig() {
    return new PagerDutyConfig(pagerDuty.eventsUri(), ROUTING_KEY, "shop", null);
  }

  SlackConfig slackConfig(String defaultChannel) {
    return slackConfig(defaultChannel, null);
  }

  SlackConfig slackConfig(String defaultChannel, URI consoleUrl) {
    return new SlackConfig(slack.methodsUrl(), "xoxb-test", "secret", defaultChannel, consoleUrl);
  }

  @Override
  public void close() {
    pagerDuty.close();
    slack.close();
    database.close();
  }
}
