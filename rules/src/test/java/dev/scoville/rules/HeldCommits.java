package dev.scoville.rules;

import java.util.concurrent.CountDownLatch;

/** Holds an incident service's group commit, as a slow disk would. */
final class HeldCommits {
  private HeldCommits() {}

  /** Whatever is submitted to {@code incidents}' committer after this waits until {@code release} opens. */
  static void hold(IncidentService incidents, CountDownLatch release) {
    incidents.commits().submit(c -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
  }
}
