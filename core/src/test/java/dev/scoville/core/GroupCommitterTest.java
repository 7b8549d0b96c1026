package dev.scoville.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Units of work from several callers sharing a transaction, a bad one failing alone. */
class GroupCommitterTest {
  private Database database;
  private GroupCommitter commits;
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void open() {
    database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    database.inTransaction(c -> c.createStatement().execute("CREATE TABLE t (id INT PRIMARY KEY)"));
    commits = new GroupCommitter(database, "test-commits");
  }

  @AfterEach
  void close() {
    release.countDown();
    commits.close();
    database.close();
  }

  @Test
  void unitsRunInTheOrderSubmittedAndSeeTheWritesBeforeThem() {
    holdCommitter();
    CompletableFuture<Integer> first = commits.submit(c -> insert(c, 1));
    CompletableFuture<Integer> second = commits.submit(c -> insert(c, 2) + count(c));
    release.countDown();

    assertThat(first.join()).isEqualTo(1);
    assertThat(second.join()).isEqualTo(1 + 2);
    assertThat(ids()).containsExactly(1, 2);
  }

  @Test
  void aFailingUnitFailsAloneWithItsOwnErrorAndItsWritesUndone() {
    holdCommitter();
    CompletableFuture<Integer> before = commits.submit(c -> insert(c, 1));
    CompletableFuture<Integer> bad = commits.submit(c -> {
      insert(c, 99);
      return insert(c, 1);
    });
    CompletableFuture<Integer> after = commits.submit(c -> insert(c, 2));
    release.countDown();

    assertThat(before.join()).isEqualTo(1);
    assertThat(after.join()).isEqualTo(1);
    assertThatThrownBy(() -> GroupCommitter.join(bad)).isInstanceOf(Database.DatabaseException.class)
        .hasMessageContaining("Unique index or primary key violation");
    assertThat(ids()).containsExactly(1, 2);
  }

  @Test
  void runWaitsForTheCommitAndThrowsTheUnitsOwnException() {
    int inserted = commits.run(c -> insert(c, 7));
    assertThat(inserted).isEqualTo(1);
    assertThat(ids()).containsExactly(7);
    assertThatThrownBy(() -> commits.run(c -> {
      throw new IllegalArgumentException("no such thing");
    })).isInstanceOf(IllegalArgumentException.class).hasMessage("no such thing");
  }

  @Test
  void closingCommitsWhatWasSubmittedAndRefusesWhatComesAfter() {
    holdCommitter();
    CompletableFuture<Integer> queued = commits.submit(c -> insert(c, 3));
    release.countDown();
    commits.close();

    assertThat(queued.join()).isEqualTo(1);
    assertThat(ids()).containsExactly(3);
    assertThatThrownBy(() -> GroupCommitter.join(commits.submit(c -> insert(c, 4))))
        .isInstanceOf(IllegalStateException.class).hasMessage("the database committer is closed");
  }

  /** Keeps the committer busy until {@link #release}, so that what is submitted meanwhile forms one batch. */
  private void holdCommitter() {
    CountDownLatch held = new CountDownLatch(1);
    commits.submit(c -> {
      held.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    try {
      held.await();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static int insert(java.sql.Connection c, int id) throws java.sql.SQLException {
    try (PreparedStatement st = c.prepareStatement("INSERT INTO t (id) VALUES (?)")) {
      st.setInt(1, id);
      return st.executeUpdate();
    }
  }

  private static int count(java.sql.Connection c) throws java.sql.SQLException {
    try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private List<Integer> ids() {
    return database.inTransaction(c -> {
      List<Integer> ids = new ArrayList<>();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT id FROM t ORDER BY id")) {
        while (rs.next()) {
          ids.add(rs.getInt(1));
        }
      }
      return ids;
    });
  }
}
