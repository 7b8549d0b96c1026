package dev.scoville.console;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tells open console views that something they show changed (an incident, a page sent). Views
 * subscribe on attach and unsubscribe on detach, and redraw inside {@code UI.access}.
 */
final class ConsoleFeed {
  private final List<Runnable> subscribers = new CopyOnWriteArrayList<>();

  Runnable subscribe(Runnable onChange) {
    subscribers.add(onChange);
    return () -> subscribers.remove(onChange);
  }

  void changed() {
    subscribers.forEach(Runnable::run);
  }
}
