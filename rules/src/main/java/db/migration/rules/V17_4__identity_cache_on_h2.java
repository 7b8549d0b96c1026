package db.migration.rules;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * H2 keeps an identity's next value in its schema and, every CACHE values (32 by default), writes
 * it there in a commit of its own: a store of the whole file in the middle of a group commit,
 * every dozen incidents opened. With a larger cache that write is rare; a crash skips at most the
 * cache's ids, and ids are still handed out in increasing order. H2 only: on
 * PostgreSQL each session caches ids of its own, so rows written by two connections could get
 * ids out of their commit order. A Java migration because its SQL must run on H2 alone.
 */
public final class V17_4__identity_cache_on_h2 extends BaseJavaMigration {
  private static final String[] TABLES = {"incident", "incident_event", "outbox"};

  @Override
  public void migrate(Context context) throws Exception {
    if (!context.getConnection().getMetaData().getDatabaseProductName().equals("H2")) {
      return;
    }
    try (Statement st = context.getConnection().createStatement()) {
      for (String table : TABLES) {
        st.execute("ALTER TABLE " + table + " ALTER COLUMN id SET CACHE 4096");
      }
    }
  }
}
