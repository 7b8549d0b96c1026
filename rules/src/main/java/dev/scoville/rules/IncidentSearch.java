package dev.scoville.rules;

import dev.scoville.core.Database;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Finds incidents for the console's list: filtered, open ones first, newest first, a page at a time. */
public final class IncidentSearch {
  private final Database database;

  IncidentSearch(Database database) {
    this.database = database;
  }

  /** Reads the incidents of a database that no running {@link Rules} need own: for reports off-line. */
  public static IncidentSearch over(Database database) {
    return new IncidentSearch(database);
  }

  /** One page of matches; {@code limit + 1} are read, so the caller can tell whether a next page exists. */
  public List<Incident> find(IncidentFilter filter, int offset, int limit) {
    List<String> where = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    if (!filter.states().isEmpty()) {
      where.add("state IN (" + String.join(", ", filter.states().stream().map(s -> "?").toList()) + ")");
      filter.states().stream().map(Enum::name).sorted().forEach(args::add);
    }
    if (filter.severity() != null) {
      where.add("severity = ?");
      args.add(filter.severity().name());
    }
    if (blankToNull(filter.rule()) != null) {
      where.add("rule = ?");
      args.add(filter.rule().strip());
    }
    if (blankToNull(filter.label()) != null) {
      String label = filter.label().strip();
      int eq = label.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("a label filter reads name=value, not '" + label + "'");
      }
      // labels are kept in Prometheus notation: {name="value",...}
      where.add("labels LIKE ? ESCAPE '!'");
      args.add("%" + like(label.substring(0, eq).strip() + "=\"" + label.substring(eq + 1).strip() + "\"") + "%");
    }
    if (blankToNull(filter.text()) != null) {
      where.add("(LOWER(rule) LIKE ? ESCAPE '!' OR LOWER(summary) LIKE ? ESCAPE '!' OR LOWER(labels) LIKE ? ESCAPE '!')");
      String text = "%" + like(filter.text().strip().toLowerCase(Locale.ROOT)) + "%";
      args.add(text);
      args.add(text);
      args.add(text);
    }
    if (filter.openedFrom() != null) {
      where.add("opened_at >= ?");
      args.add(Timestamp.from(filter.openedFrom()));
    }
    if (filter.openedTo() != null) {
      where.add("opened_at < ?");
      args.add(Timestamp.from(filter.openedTo()));
    }
    String sql = "SELECT " + IncidentService.COLUMNS + " FROM incident"
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + " ORDER BY CASE WHEN state = 'RESOLVED' THEN 1 ELSE 0 END, opened_at DESC, id DESC"
        + " OFFSET ? ROWS FETCH NEXT ? ROWS ONLY";
    return database.inTransaction(c -> {
      try (PreparedStatement st = c.prepareStatement(sql)) {
        int i = 1;
        for (Object arg : args) {
          st.setObject(i++, arg);
        }
        st.setInt(i++, offset);
        st.setInt(i, limit + 1);
        return IncidentService.readAll(st);
      }
    });
  }

  private static String like(String s) {
    return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
