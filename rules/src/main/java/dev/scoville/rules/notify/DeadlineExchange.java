package dev.scoville.rules.notify;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request and its answer, bounded by one deadline from connect to the last byte of the body:
 * the request's own timeout ends with the headers, so the body's subscriber gives up too (closing
 * the connection) once the deadline has passed. Sent with the blocking {@link HttpClient#send},
 * on the caller's thread: {@code sendAsync} hands every answer to the common pool's executor,
 * which on a machine of two cores or fewer starts a new thread per request.
 */
final class DeadlineExchange {
  private DeadlineExchange() {}

  /** Why no answer came: "did not answer within … ms" or "unreachable: …". */
  static final class NoAnswer extends Exception {
    NoAnswer(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static HttpResponse<String> send(HttpClient http, HttpRequest request, Duration deadline)
      throws NoAnswer, InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    try {
      return http.send(request, info -> new Bounded(HttpResponse.BodyHandlers.ofString().apply(info), end));
    } catch (IOException e) {
      boolean late = e instanceof HttpTimeoutException || e.getCause() instanceof TimeoutException;
      throw new NoAnswer(late ? "did not answer within " + deadline.toMillis() + " ms" : "unreachable: " + e, e);
    }
  }

  /** A body that fails with a timeout, and cancels its subscription, once the deadline has passed. */
  private static final class Bounded implements HttpResponse.BodySubscriber<String> {
    private final HttpResponse.BodySubscriber<String> body;
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;

    Bounded(HttpResponse.BodySubscriber<String> body, long endNanos) {
      this.body = body;
      body.getBody().whenComplete((text, e) -> {
        if (e == null) {
          result.complete(text);
        } else {
          result.completeExceptionally(e);
        }
      });
      result.orTimeout(Math.max(0, endNanos - System.nanoTime()), TimeUnit.NANOSECONDS).whenComplete((text, e) -> {
        Flow.Subscription current = subscription;
        if (e instanceof TimeoutException && current != null) {
          current.cancel();
        }
      });
    }

    @Override
    public CompletionStage<String> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      body.onSubscribe(subscription);
      if (result.isCompletedExceptionally()) {
        subscription.cancel();
      }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
      body.onNext(item);
    }

    @Override
    public void onError(Throwable throwable) {
      body.onError(throwable);
    }

    @Override
    public void onComplete() {
      body.onComplete();
    }
  }
}
