package dev.scoville.contingency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoville.core.Database;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The kill switches of the catalog as flags served to the shop. States live in the database so a
 * restart serves what was switched; reads come from an immutable snapshot swapped on each change,
 * so an event loop can read them without blocking.
 */
public final class KillSwitches {
  static final ObjectMapper JSON = new ObjectMapper();

  private final Database database;
  private volatile Snapshot snapshot;

  private KillSwitches(Database database, Snapshot snapshot) {
    this.database = database;
    this.snapshot = snapshot;
  }

  /**
   * Loads the flags of every kill-switch action with their stored states. Blocking; migrates the
   * contingency schema first.
   */
  public static KillSwitches open(Database database, ActionCatalog catalog) {
    database.migrate("contingency");
    Map<String, Flag> flags = new TreeMap<>();
    for (Action action : catalog.actions()) {
      if (action.kind() instanceof Action.KillSwitch k) {
        flags.putIfAbsent(k.flag(), new Flag(k.flag(), k.off(), k.off(), null, null));
      }
    }
    database.inTransaction(
        c -> {
          try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT flag_key, value_json, changed_by, changed_at FROM flag_states");
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              Flag known = flags.get(rs.getString(1));
              // a flag whose action left the catalog is no longer served
              if (known != null) {
                flags.put(
                    known.key(),
                    new Flag(
                        known.key(),
                        parse(rs.getString(2)),
                        known.off(),
                        rs.getString(3),
                        rs.getTimestamp(4).toInstant()));
              }
            }
          }
          return null;
        });
    return new KillSwitches(database, Snapshot.of(flags));
  }

  /** Every flag with what it serves now, by key. */
  public List<Flag> flags() {
    return List.copyOf(snapshot.flags.values());
  }

  public Optional<Flag> flag(String key) {
    return Optional.ofNullable(snapshot.flags.get(key));
  }

  Snapshot snapshot() {
    return snapshot;
  }

  /** Stores and serves {@code value}; returns what the flag served before. Blocking. */
  synchronized Flag set(String key, JsonNode value, String by, Instant at) {
    Flag previous = snapshot.flags.get(key);
    if (previous == null) {
      throw new IllegalArgumentException("no kill switch serves flag " + key);
    }
    database.inTransaction(
        c -> {
          int updated;
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE flag_states SET value_json = ?, changed_by = ?, changed_at = ? WHERE"
                      + " flag_key = ?")) {
            s.setString(1, value.toString());
            s.setString(2, by);
            s.setTimestamp(3, Timestamp.from(at));
            s.setString(4, key);
            updated = s.executeUpdate();
          }
          if (updated == 0) {
            try (PreparedStatement s =
                c.prepareStatement(
                    "INSERT INTO flag_states (flag_key, value_json, changed_by, changed_at) VALUES"
                        + " (?, ?, ?, ?)")) {
              s.setString(1, key);
              s.setString(2, value.toString());
              s.setString(3, by);
              s.setTimestamp(4, Timestamp.from(at));
              s.executeUpdate();
            }
          }
          return null;
        });
    Map<String, Flag> flags = new TreeMap<>(snapshot.flags);
    flags.put(key, new Flag(key, value, previous.off(), by, at));
    snapshot = Snapshot.of(flags);
    return previous;
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored flag value is not JSON: " + json, e);
    }
  }

  /**
   * A kill switch as the shop sees it. {@code changedBy} and {@code changedAt} are null while it
   * serves its off value untouched.
   */
  public record Flag(
      String key, JsonNode value, JsonNode off, String changedBy, Instant changedAt) {
    public boolean switched() {
      return !value.equals(off);
    }

    /** The OFREP evaluation of this flag. */
    ObjectNode evaluation() {
      ObjectNode o = JSON.createObjectNode();
      o.put("key", key);
      o.set("value", value);
      // kill switches do not target: every caller gets the same value
      o.put("reason", "STATIC");
      o.put("variant", switched() ? "switched" : "off");
      ObjectNode metadata = o.putObject("metadata");
      if (changedBy != null) {
        metadata.put("changedBy", changedBy);
        metadata.put("changedAt", changedAt.toString());
      }
      return o;
    }
  }

  /** Flags at one moment, with the bulk answer and its ETag computed once per change. */
  static final class Snapshot {
    final Map<String, Flag> flags;
    final String bulkBody;
    final String etag;

    private Snapshot(Map<String, Flag> flags, String bulkBody, String etag) {
      this.flags = flags;
      this.bulkBody = bulkBody;
      this.etag = etag;
    }

    static Snapshot of(Map<String, Flag> flags) {
      ObjectNode body = JSON.createObjectNode();
      ArrayNode list = body.putArray("flags");
      flags.values().forEach(f -> list.add(f.evaluation()));
      String text = body.toString();
      try {
        byte[] digest =
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        String etag = "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        return new Snapshot(
            java.util.Collections.unmodifiableMap(new LinkedHashMap<>(flags)), text, etag);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
