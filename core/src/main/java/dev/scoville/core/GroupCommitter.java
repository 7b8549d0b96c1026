package dev.scoville.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: units of database work submitted by several threads at about the same time share
 * one transaction, so that they cost one write of the database file instead of one each. A batch
 * is whatever was queued while the previous one committed, so a lone unit waits for nobody.
 *
 * <p>The contract:
 *
 * <ul>
 *   <li>Units run on the committer's own thread, one at a time, in the order submitted; a unit sees
 *       the writes of the units before it.
 *   <li>A unit's future completes once the transaction that ran it is committed, with the unit's
 *       result, or exceptionally with the unit's own failure. Completions run on the committer's
 *       thread in submission order: what they do delays the next batch, so keep it short.
 *   <li>A unit that fails fails alone. Its batch is rolled back and each of its units then runs
 *       in a transaction of its own, so a unit must do nothing outside the connection it is given:
 *       it may run twice.
 * </ul>
 */
public final class GroupCommitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
  /** Large enough to amortise the write, small enough that one batch holds its locks only briefly. */
  private static final int MAX_BATCH = 256;

  /** Queued by {@link #close()}: the committer stops once it reaches it. */
  private static final Unit<Object> STOP = new Unit<>(c -> null, new CompletableFuture<>());

  private final Database database;
  private final BlockingQueue<Unit<?>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  /** Set by the committer as it stops, under the queue's lock. */
  private boolean stopped;

  public GroupCommitter(Database database, String name) {
    this.database = database;
    this.thread = new Thread(this::commitBatches, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues {@code work}; see the class's contract. Never blocks. */
  public <T> CompletableFuture<T> submit(Database.SqlWork<T> work) {
    Unit<T> unit = new Unit<>(work, new CompletableFuture<>());
    synchronized (queue) {
      if (stopped) {
        fail(unit, new IllegalStateException("the database committer is closed"));
      } else {
        // Queued after close's stop mark, it is failed by the committer as it stops.
        queue.add(unit);
      }
    }
    return unit.future();
  }

  /**
   * Submits {@code work} and waits for its commit, throwing its failure. On the committer's own
   * thread (from a completion) it runs at once in a transaction of its own, as waiting there
   * would wait forever.
   */
  public <T> T run(Database.SqlWork<T> work) {
    if (Thread.currentThread() == thread) {
      return database.inTransaction(work);
    }
    return join(submit(work));
  }

  /** The result of a future from {@link #submit}, its unit's own exception thrown as it was. */
  public static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  private void commitBatches() {
    List<Unit<?>> batch = new ArrayList<>();
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      stop = batch.remove(STOP);
      try {
        commit(batch);
      } catch (Throwable t) {
        // The committer must outlive any one batch, or every later submitter would wait forever.
        LOG.error("A batch of {} database writes failed unexpectedly", batch.size(), t);
        batch.forEach(unit -> unit.future().completeExceptionally(t));
      }
      batch.clear();
    }
    synchronized (queue) {
      stopped = true;
      Unit<?> left;
      while ((left = queue.poll()) != null) {
        fail(left, new IllegalStateException("the database committer is closed"));
      }
    }
  }

  private void commit(List<Unit<?>> batch) {
    List<Object> results;
    try {
      results = database.inTransaction(c -> {
        List<Object> done = new ArrayList<>(batch.size());
        for (Unit<?> unit : batch) {
          done.add(unit.work().run(c));
        }
        return done;
      });
    } catch (RuntimeException e) {
      if (batch.size() == 1) {
        fail(batch.get(0), e);
        return;
      }
      LOG.debug("A batch of {} database writes failed ({}); committing them one by one", batch.size(), e.toString());
      batch.forEach(this::commitAlone);
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      complete(batch.get(i), results.get(i));
    }
  }

  private <T> void commitAlone(Unit<T> unit) {
    T result;
    try {
      result = database.inTransaction(unit.work());
    } catch (RuntimeException e) {
      fail(unit, e);
      return;
    }
    complete(unit, result);
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Unit<T> unit, Object result) {
    unit.future().complete((T) result);
  }

  private static void fail(Unit<?> unit, Throwable cause) {
    unit.future().completeExceptionally(cause);
  }

  /**
   * Commits what was submitted before, then stops; what is submitted afterwards fails. Not by
   * interrupting: an interrupt during a write would close the database's file channel.
   */
  @Override
  public void close() {
    queue.add(STOP);
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Unit<T>(Database.SqlWork<T> work, CompletableFuture<T> future) {}
}
