package dev.scoville.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.scoville.core.Database;
import dev.scoville.core.Labels;
import dev.scoville.core.MutableClock;
import dev.scoville.core.PostgresServer;
import dev.scoville.rules.notify.HttpPagerDutyEvents;
import dev.scoville.rules.notify.PagerDutyConfig;
import dev.scoville.shop.PagerDutySink;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two Scoville instances on one database, each with its incidents and its outbox sender: every
 * notification reaches PagerDuty once, and each incident's events in order, although both
 * instances hear of every change and race to claim it, and incidents are opened on one instance
 * and acknowledged or resolved on the other. A killed instance's claims hold until their lease
 * ends, then the other instance sends the rows. On H2 and on a real PostgreSQL server (Debian's
 * {@code postgresql}; skipped, saying so, where it is not installed).
 */
class TwoInstancesOutboxTest {
  /** One per instance, so that each event says which instance sent it. */
  private static final List<String> ROUTING_KEYS =
      List.of("0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210");
  private static final int INCIDENTS = 60;

  private static PostgresServer postgres;

  private Database database;
  private PagerDutySink pagerDuty;
  private final List<AutoCloseable> instances = new ArrayList<>();

  @BeforeEach
  void startPagerDuty() throws Exception {
    pagerDuty = PagerDutySink.start(0);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable instance : instances) {
      instance.close();
    }
    pagerDuty.close();
    if (database != null) {
      database.close();
    }
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void everyNotificationIsSentOnceAndInOrderByOneOfTwoInstances(String kind) throws Exception {
    database = open(kind);
    Instance a = instance(Clock.systemUTC());
    Instance b = instance(Clock.systemUTC());
    // Each instance hears of every change, as if both had made it: they race for every incident.
    for (Instance writer : List.of(a, b)) {
      for (Instance sender : List.of(a, b)) {
        writer.incidents().onOutboxWrite(sender.outbox()::signal);
      }
    }
    a.outbox().start();
    b.outbox().start();

    ExecutorService operators = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < INCIDENTS; i++) {
      Alert alert = alert(i);
      Instance opener = i % 2 == 0 ? a : b;
      Instance other = opener == a ? b : a;
      done.add(operators.submit(() -> {
        Incident incident = opener.incidents().open(alert);
        other.incidents().acknowledge(incident.id(), "alice");
        (alert.labels().get("shard").hashCode() % 3 == 0 ? opener : other).incidents().resolve(alert);
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    operators.shutdown();

    assertThat(Eventually.await(() -> pagerDuty.received().size() >= 3 * INCIDENTS && pending() == 0, Duration.ofSeconds(60)))
        .as("every notification arrived (%d of %d)", pagerDuty.received().size(), 3 * INCIDENTS).isTrue();
    // A second sending of anything would come within moments of the first.
    Thread.sleep(500);
    Map<String, List<String>> actionsByKey = pagerDuty.received().stream().collect(Collectors.groupingBy(
        PagerDutySink.ReceivedEvent::dedupKey, Collectors.mapping(e -> e.eventAction() + " by "
            + (ROUTING_KEYS.indexOf(e.body().path("routing_key").asText()) == 0 ? "a" : "b"), Collectors.toList())));
    assertThat(actionsByKey).hasSize(INCIDENTS);
    assertThat(actionsByKey.entrySet()).allSatisfy(sent ->
        assertThat(sent.getValue()).extracting(action -> action.substring(0, action.indexOf(" ")))
            .as(() -> sent.getValue() + ", rows: " + rows(sent.getKey()))
            .containsExactly("trigger", "acknowledge", "resolve"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void aKilledInstancesClaimsAreTakenOverOnceTheirLeaseEnds(String kind) throws Exception {
    database = open(kind);
    MutableClock clock = new MutableClock(Instant.parse("2026-11-30T21:00:00Z"));
    Instance survivor = instance(clock);
    Incident incident = survivor.incidents().open(alert(1));
    // What a killed instance leaves behind: its claim on the incident's row, for a minute more.
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement st = c.prepareStatement("UPDATE outbox SET claimed_by = 'killed', claimed_until = ?")) {
      st.setTimestamp(1, Timestamp.from(clock.instant().plus(Duration.ofMinutes(1))));
      assertThat(st.executeUpdate()).isEqualTo(1);
    }

    survivor.outbox().sendDue();
    assertThat(pagerDuty.received()).as("the killed instance's claim still holds").isEmpty();

    clock.advance(Duration.ofMinutes(1).plusSeconds(1));
    survivor.outbox().sendDue();
    assertThat(pagerDuty.received()).extracting(PagerDutySink.ReceivedEvent::dedupKey)
        .containsExactly(incident.dedupKey());
  }

  private Instance instance(Clock clock) {
    IncidentService incidents = new IncidentService(database, clock, EscalationPolicies.defaults(SlackConfig.none()));
    PagerDutyConfig config =
        new PagerDutyConfig(pagerDuty.eventsUri(), ROUTING_KEYS.get(instances.size() % 2), "shop", null);
    OutboxSender outbox = new OutboxSender(database, incidents, new HttpPagerDutyEvents(config, Duration.ofSeconds(5)),
        null, clock, Duration.ofMillis(100));
    Instance instance = new Instance(incidents, outbox);
    instances.add(0, instance);
    return instance;
  }

  private Database open(String kind) throws Exception {
    Database opened;
    if (kind.equals("h2")) {
      opened = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    } else {
      Optional<Path> binaries = PostgresServer.binaries();
      assumeTrue(binaries.isPresent(),
          "PostgreSQL is not installed (apt-get install postgresql): PostgreSQL test skipped");
      if (postgres == null) {
        postgres = PostgresServer.start(binaries.get());
      }
      String name = "outbox_" + UUID.randomUUID().toString().replace("-", "");
      try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), PostgresServer.USER, null);
          Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE " + name);
      }
      opened = Database.open(postgres.jdbcUrl().replace("/postgres", "/" + name), PostgresServer.USER, null);
    }
    opened.migrate("rules");
    return opened;
  }

  private long pending() {
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM outbox WHERE status = 'PENDING'");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The incident's outbox rows, for the message of a failure. */
  private List<String> rows(String dedupKey) {
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement st = c.prepareStatement("SELECT id, action, status, attempts, claimed_by, created_at, sent_at"
            + " FROM outbox WHERE dedup_key = ? ORDER BY id")) {
      st.setString(1, dedupKey);
      List<String> rows = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rows.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3) + " after " + rs.getInt(4)
              + " by " + rs.getString(5) + " at " + rs.getTimestamp(6).toInstant() + "/" + rs.getTimestamp(7));
        }
      }
      return rows;
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Alert alert(int i) {
    return new Alert("CheckoutLatencyHigh", Labels.of("alertname", "CheckoutLatencyHigh", "shard", "s" + i),
        "Checkout p95 is slow on shard " + i, 1.5, Instant.parse("2026-11-30T20:00:00Z"), Handling.DEFAULT);
  }

  /** One Scoville instance's share: its incidents and its outbox sender. */
  private record Instance(IncidentService incidents, OutboxSender outbox) implements AutoCloseable {
    @Override
    public void close() {
      outbox.close();
      incidents.close();
    }
  }
}
