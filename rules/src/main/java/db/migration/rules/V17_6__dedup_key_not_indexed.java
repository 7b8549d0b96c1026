package db.migration.rules;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * An incident's dedup_key names its id, so it is unique by construction, and no query looks an
 * incident up by it; its unique index cost a random page of the index written at every opening's
 * commit (two, with the NULL it held until the id was known). V1 declared it inline, so its name
 * is the database's own: read from the information schema, which H2 and PostgreSQL both have.
 */
public final class V17_6__dedup_key_not_indexed extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    List<String> constraints = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement("SELECT tc.constraint_name FROM information_schema.table_constraints tc"
        + " JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name"
        + " AND k.table_schema = tc.table_schema AND k.table_name = tc.table_name"
        + " WHERE LOWER(tc.table_name) = 'incident' AND tc.constraint_type = 'UNIQUE' AND LOWER(k.column_name) = 'dedup_key'"
        + " AND tc.table_schema = CURRENT_SCHEMA");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        constraints.add(rs.getString(1));
      }
    }
    try (Statement st = c.createStatement()) {
      for (String constraint : constraints) {
        st.execute("ALTER TABLE incident DROP CONSTRAINT \"" + constraint + "\"");
      }
    }
  }
}
