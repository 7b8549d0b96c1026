package dev.scoville.rules.notify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * The outbox rows this instance has claimed, in memory, by key (an incident at one receiver), so
 * that the sender never reads the backlog again to find what to send next: a pass costs what
 * changed, not what waits. A key is sent by one task at a time, oldest row first; a row that
 * waits for its retry holds up its key only, which wakes when the retry is due.
 *
 * <p>Rows finished (sent, refused, superseded) are remembered while a claim that may have read
 * them as pending, before their outcome was committed, is still under way, so that it cannot
 * bring them back.
 */
public final class OutboxQueue {
  private final Map<String, TreeMap<Long, OutboxRow>> byKey = new HashMap<>();
  /** Keys whose task is queued or running in a lane. */
  private final Set<String> running = new HashSet<>();
  private final PriorityQueue<Wake> wakes = new PriorityQueue<>();
  /** Finished row ids, with the claim count at which they finished. */
  private final Map<Long, Long> finished = new HashMap<>();
  /** Claims under way, by the count at which they began. */
  private final TreeMap<Long, Integer> claims = new TreeMap<>();
  private long claimCount;
  private int size;

  /** Call before a claim reads the table; pass the ticket to {@link #add}. */
  public synchronized long beginClaim() {
    long ticket = ++claimCount;
    claims.merge(ticket, 1, Integer::sum);
    return ticket;
  }

  /**
   * Takes the rows a claim returned (call it also when the claim failed, with none): new ones are
   * queued, known ones get their new lease. Returns the first row of each key that now needs a
   * task; those keys count as running until {@link #next} finds nothing due.
   */
  public synchronized List<OutboxRow> add(long ticket, Collection<OutboxRow> rows) {
    Set<String> touched = new HashSet<>();
    for (OutboxRow row : rows) {
      if (finished.containsKey(row.id())) {
        continue;
      }
      TreeMap<Long, OutboxRow> queued = byKey.computeIfAbsent(row.key(), k -> new TreeMap<>());
      OutboxRow known = queued.get(row.id());
      if (known == null) {
        queued.put(row.id(), row);
        size++;
        touched.add(row.key());
      } else if (row.claimedUntil() != null
          && (known.claimedUntil() == null || row.claimedUntil().isAfter(known.claimedUntil()))) {
        // What this instance recorded since (attempts, next attempt) is newer than what the claim read.
        queued.put(row.id(), known.claimedUntil(row.claimedUntil()));
      }
    }
    // Only now, its rows checked: what finished while this claim read may be forgotten once no
    // claim that began before it is still under way.
    claims.computeIfPresent(ticket, (t, n) -> n == 1 ? null : n - 1);
    long oldest = claims.isEmpty() ? Long.MAX_VALUE : claims.firstKey();
    finished.values().removeIf(at -> at < oldest);
    List<OutboxRow> start = new ArrayList<>();
    for (String key : touched) {
      if (running.add(key)) {
        start.add(byKey.get(key).firstEntry().getValue());
      }
    }
    return start;
  }

  /**
   * The next row of {@code key}'s task, or empty when the task should end: its key has no row
   * left, or its first row waits for a retry (the key then wakes at that time, see {@link #due}).
   */
  public synchronized Optional<OutboxRow> next(String key, Instant now) {
    TreeMap<Long, OutboxRow> queued = byKey.get(key);
    if (queued == null || queued.isEmpty()) {
      byKey.remove(key);
      running.remove(key);
      return Optional.empty();
    }
    OutboxRow first = queued.firstEntry().getValue();
    if (first.nextAttemptAt().isAfter(now)) {
      running.remove(key);
      wakes.add(new Wake(first.nextAttemptAt(), key));
      return Optional.empty();
    }
    return Optional.of(first);
  }

  /** The rows of {@code key} queued after {@code row}. */
  public synchronized List<OutboxRow> after(OutboxRow row) {
    TreeMap<Long, OutboxRow> queued = byKey.get(row.key());
    return queued == null ? List.of() : List.copyOf(queued.tailMap(row.id(), false).values());
  }

  /** {@code row} is done with (sent, refused or superseded), its outcome committed. */
  public synchronized void finished(OutboxRow row) {
    TreeMap<Long, OutboxRow> queued = byKey.get(row.key());
    if (queued != null && queued.remove(row.id()) != null) {
      size--;
    }
    if (!claims.isEmpty()) {
      finished.put(row.id(), claimCount);
    }
  }

  /** {@code row} failed and waits for its retry, as committed. */
  public synchronized void retried(OutboxRow row) {
    TreeMap<Long, OutboxRow> queued = byKey.get(row.key());
    if (queued != null && queued.containsKey(row.id())) {
      queued.put(row.id(), row);
    }
  }

  /** Ends {@code key}'s task without sending; the key wakes at {@code until}. */
  public synchronized void pause(String key, Instant until) {
    running.remove(key);
    wakes.add(new Wake(until, key));
  }

  /** Forgets {@code key}'s rows: another instance holds them now. Its task ends. */
  public synchronized void drop(String key) {
    TreeMap<Long, OutboxRow> queued = byKey.remove(key);
    if (queued != null) {
      size -= queued.size();
    }
    running.remove(key);
  }

  /** The first row of each key whose retry is due and that has no task; they count as running. */
  public synchronized List<OutboxRow> due(Instant now) {
    List<OutboxRow> start = new ArrayList<>();
    while (!wakes.isEmpty() && !wakes.peek().at().isAfter(now)) {
      String key = wakes.poll().key();
      TreeMap<Long, OutboxRow> queued = byKey.get(key);
      if (queued != null && !queued.isEmpty() && running.add(key)) {
        start.add(queued.firstEntry().getValue());
      }
    }
    return start;
  }

  /** When the next key wakes for a retry, if any waits. */
  public synchronized Optional<Instant> nextWake() {
    return wakes.isEmpty() ? Optional.empty() : Optional.of(wakes.peek().at());
  }

  /** Every queued row, for routing around a failing receiver. */
  public synchronized List<OutboxRow> all() {
    List<OutboxRow> all = new ArrayList<>(size);
    byKey.values().forEach(rows -> all.addAll(rows.values()));
    return all;
  }

  public synchronized int size() {
    return size;
  }

  private record Wake(Instant at, String key) implements Comparable<Wake> {
    @Override
    public int compareTo(Wake other) {
      return at.compareTo(other.at);
    }
  }
}
