package dev.scoville.rules.notify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One sender's claims on outbox rows, so that instances sharing a database never send the same
 * notification. A claim covers every pending row of an incident (a dedup_key) at once, or none:
 * an instance claims an incident only when no other instance holds a live claim on any of its
 * pending rows, so an incident's notifications to a receiver go out in order from one instance.
 * Rows are locked while claimed ({@code FOR UPDATE SKIP LOCKED}: an incident whose rows another
 * transaction holds is left for later, never waited for), then marked with this instance and the
 * end of its lease. A killed instance's claims end with their lease; then any instance takes the
 * rows over. The in-flight request of a killed instance may thus be sent twice, nothing else.
 *
 * <p>Why every row of an incident, and not single rows: rows are written by whichever instance
 * changed the incident (opened on one, acknowledged on another), and a resolve sent by one
 * instance must not overtake the trigger another is still retrying.
 */
public final class OutboxClaims {
  public static final String COLUMNS = "id, incident_id, channel, target, action, dedup_key, attempts,"
      + " next_attempt_at, created_at, mirror_of, claimed_by, claimed_until";
  /** Dedup keys per statement; fewer are padded by repeating one, so that one statement shape is cached. */
  private static final int CHUNK = 32;
  private static final String IN = "(" + String.join(", ", java.util.Collections.nCopies(CHUNK, "?")) + ")";

  private final String instance;
  private final Duration lease;

  /** {@code lease}: how long a claim holds without being renewed; longer than any attempt to send. */
  public OutboxClaims(Duration lease) {
    this.instance = UUID.randomUUID().toString();
    this.lease = lease;
  }

  public Duration lease() {
    return lease;
  }

  /** This instance, as claimed_by names it. */
  public String instance() {
    return instance;
  }

  /**
   * What one claim found: the rows now claimed by this instance (each claimed incident's pending
   * rows, oldest first), the incidents another instance holds, and those whose rows another
   * transaction had locked (worth trying again soon).
   */
  public record Claimed(List<OutboxRow> rows, Set<String> heldElsewhere, Set<String> locked) {}

  /** Claims the pending rows of {@code dedupKeys}; see the class. */
  public Claimed claim(Connection c, Collection<String> dedupKeys, Instant now) throws SQLException {
    List<OutboxRow> claimed = new ArrayList<>();
    Set<String> heldElsewhere = new LinkedHashSet<>();
    Set<String> locked = new LinkedHashSet<>();
    List<String> keys = List.copyOf(new LinkedHashSet<>(dedupKeys));
    Instant until = now.plus(lease);
    for (int from = 0; from < keys.size(); from += CHUNK) {
      List<String> chunk = keys.subList(from, Math.min(keys.size(), from + CHUNK));
      Set<Long> lockedHere = new HashSet<>();
      try (PreparedStatement st = c.prepareStatement("SELECT id FROM outbox WHERE status = 'PENDING'"
          + " AND dedup_key IN " + IN + " FOR UPDATE SKIP LOCKED")) {
        bind(st, 1, chunk);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            lockedHere.add(rs.getLong(1));
          }
        }
      }
      // Read again without locking: a row skipped above is one another transaction holds.
      Map<String, List<Pending>> byKey = new LinkedHashMap<>();
      try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM outbox WHERE status = 'PENDING'"
          + " AND dedup_key IN " + IN + " ORDER BY id")) {
        bind(st, 1, chunk);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            Pending row = read(rs);
            byKey.computeIfAbsent(row.row().dedupKey(), k -> new ArrayList<>()).add(row);
          }
        }
      }
      for (Map.Entry<String, List<Pending>> entry : byKey.entrySet()) {
        List<Pending> rows = entry.getValue();
        if (rows.stream().anyMatch(r -> !lockedHere.contains(r.row().id()))) {
          locked.add(entry.getKey());
        } else if (rows.stream().anyMatch(r -> r.heldElsewhere(instance, now))) {
          heldElsewhere.add(entry.getKey());
        } else {
          rows.forEach(r -> claimed.add(r.row().claimedUntil(until)));
        }
      }
    }
    try (PreparedStatement st = c.prepareStatement(
        "UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE id = ?")) {
      for (OutboxRow row : claimed) {
        st.setString(1, instance);
        st.setTimestamp(2, Timestamp.from(until));
        st.setLong(3, row.id());
        st.addBatch();
      }
      if (!claimed.isEmpty()) {
        st.executeBatch();
      }
    }
    return new Claimed(claimed, heldElsewhere, locked);
  }

  /**
   * Up to {@code limit} incidents with pending rows nobody holds a live claim on, oldest first:
   * rows written by another instance that did not send them, and those of an instance that was
   * killed, once its lease ended.
   */
  public List<String> unclaimed(Connection c, Instant now, int limit) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT dedup_key, MIN(id) FROM outbox WHERE status = 'PENDING'"
        + " AND (claimed_until IS NULL OR claimed_until < ?) GROUP BY dedup_key ORDER BY 2 FETCH FIRST ? ROWS ONLY")) {
      st.setTimestamp(1, Timestamp.from(now));
      st.setInt(2, limit);
      List<String> keys = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          keys.add(rs.getString(1));
        }
      }
      return keys;
    }
  }

  /** Gives up this instance's claims (as it stops): another instance may send them at once. */
  public void release(Connection c) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("UPDATE outbox SET claimed_by = NULL, claimed_until = NULL"
        + " WHERE claimed_by = ? AND status = 'PENDING'")) {
      st.setString(1, instance);
      st.executeUpdate();
    }
  }

  /**
   * Ends every claim: for a database that only this process can have open (an embedded H2 file),
   * where any claim found at start is a killed process's, whose lease need not be waited for.
   */
  public static void releaseAll(Connection c) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("UPDATE outbox SET claimed_by = NULL, claimed_until = NULL"
        + " WHERE status = 'PENDING' AND claimed_by IS NOT NULL")) {
      st.executeUpdate();
    }
  }

  /** Reads a row of {@link #COLUMNS}, without its claim. */
  public static OutboxRow row(ResultSet rs) throws SQLException {
    return read(rs).row();
  }

  private static Pending read(ResultSet rs) throws SQLException {
    long mirror = rs.getLong(10);
    Long mirrorOf = rs.wasNull() ? null : mirror;
    Timestamp until = rs.getTimestamp(12);
    OutboxRow row = new OutboxRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getInt(7), rs.getTimestamp(8).toInstant(), rs.getTimestamp(9).toInstant(), mirrorOf,
        null);
    return new Pending(row, rs.getString(11), until == null ? null : until.toInstant());
  }

  private static void bind(PreparedStatement st, int first, List<String> keys) throws SQLException {
    for (int i = 0; i < CHUNK; i++) {
      st.setString(first + i, keys.get(Math.min(i, keys.size() - 1)));
    }
  }

  /** A pending row with the claim it carries in the table. */
  private record Pending(OutboxRow row, String claimedBy, Instant claimedUntil) {
    boolean heldElsewhere(String instance, Instant now) {
      return claimedBy != null && !claimedBy.equals(instance) && claimedUntil != null && claimedUntil.isAfter(now);
    }
  }
}
