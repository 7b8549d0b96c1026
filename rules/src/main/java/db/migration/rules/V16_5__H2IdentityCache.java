package db.migration.rules;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On H2 only: the ids of incidents, their timeline and the outbox are handed out from blocks of
 * 1,000 instead of H2's default 32. H2 writes a sequence's new block with a commit of its own,
 * which on a file rewrites every page changed so far: at 500 alerts/s those commits were a third
 * of the incidents' committer's page writes. A killed process skips the rest of a block (ids
 * with gaps, nothing lost); the order of ids is still the order in which they were handed out.
 * PostgreSQL keeps its cache of 1: a larger one there is per connection, and rows written later
 * could get smaller ids, which the outbox's order per incident relies on.
 */
public class V16_5__H2IdentityCache extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws Exception {
    if (!context.getConnection().getMetaData().getDatabaseProductName().equals("H2")) {
      return;
    }
    try (Statement st = context.getConnection().createStatement()) {
      for (String table : new String[] {"incident", "incident_event", "outbox"}) {
        st.execute("ALTER TABLE " + table + " ALTER COLUMN id SET CACHE 1000");
      }
    }
  }
}
