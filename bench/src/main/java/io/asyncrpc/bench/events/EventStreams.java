package io.asyncrpc.bench.events;

import io.asyncrpc.testsupport.ApiClient;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Server-sent event streams of {@code GET /api/v1/events}, each its own HTTP/1.1 connection of the
 * JDK HttpClient, read as lines without a thread of their own while idle. One client per loopback
 * source address, so the many connections do not run out of one address's ports.
 */
final class EventStreams implements AutoCloseable {

  /** Called on the HTTP client's threads for each event: keep it short. */
  @FunctionalInterface
  interface Listener {
    void event(String type, String data, long receivedEpochMicros);
  }

  private final ApiClient api;
  private final String query;
  private final List<HttpClient> clients = new ArrayList<>();
  private final AtomicInteger opened = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong heartbeats = new AtomicLong();
  private final AtomicReference<@Nullable String> firstFailure = new AtomicReference<>();
  private final AtomicReference<@Nullable String> firstClose = new AtomicReference<>();
  private volatile Listener listener = (type, data, at) -> {};

  EventStreams(ApiClient api, String query, List<String> localAddresses) {
    this.api = api;
    this.query = query;
    List<String> addresses = localAddresses.isEmpty() ? List.of("") : localAddresses;
    for (String address : addresses) {
      HttpClient.Builder builder =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(10))
              // Idle streams hold no thread; an event for every stream at once runs on cheap ones.
              .executor(Executors.newVirtualThreadPerTaskExecutor());
      if (!address.isEmpty()) {
        try {
          builder.localAddress(InetAddress.getByName(address));
        } catch (UnknownHostException e) {
          throw new IllegalArgumentException("no address " + address, e);
        }
      }
      clients.add(builder.build());
    }
  }

  void listener(Listener listener) {
    this.listener = listener;
  }

  /**
   * Opens streams until {@code total} are open or one failed to open within {@code timeout}, at
   * most {@code concurrency} opening at once; returns how many are open.
   */
  int openUpTo(int total, int concurrency, Duration timeout) throws InterruptedException {
    Semaphore opening = new Semaphore(concurrency);
    int started = opened.get();
    while (started < total && failed.get() == 0) {
      opening.acquire();
      HttpClient client = clients.get(started % clients.size());
      open(client, timeout).whenComplete((ok, e) -> opening.release());
      started++;
    }
    opening.acquire(concurrency); // every open answered or timed out
    opening.release(concurrency);
    return open();
  }

  private CompletableFuture<Void> open(HttpClient client, Duration timeout) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(api.base() + "/events" + query))
            .header("Accept", "text/event-stream")
            .header("Authorization", api.authorization())
            .GET()
            .build();
    CompletableFuture<Void> headers = new CompletableFuture<>();
    client
        .sendAsync(
            request,
            info -> {
              if (info.statusCode() == 200) {
                opened.incrementAndGet();
                headers.complete(null);
              } else {
                headers.completeExceptionally(
                    new IllegalStateException("GET /events answered " + info.statusCode()));
              }
              return HttpResponse.BodySubscribers.fromLineSubscriber(new Lines(info.statusCode()));
            })
        .whenComplete(
            (response, e) -> {
              if (e != null) {
                headers.completeExceptionally(e);
              }
            });
    // The request's own timeout would not end a stream that answered; this one only the wait.
    return headers
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(
            e -> {
              failed.incrementAndGet();
              firstFailure.compareAndSet(
                  null, String.valueOf(e.getCause() == null ? e : e.getCause()));
              return null;
            });
  }

  /** Streams answered 200 and not ended since. */
  int open() {
    return opened.get() - closed.get();
  }

  int closed() {
    return closed.get();
  }

  long failed() {
    return failed.get();
  }

  long heartbeats() {
    return heartbeats.get();
  }

  @Nullable String firstFailure() {
    String failure = firstFailure.get();
    return failure != null ? failure : firstClose.get();
  }

  @Override
  public void close() {
    // shutdownNow closes every connection at once; the services see their streams end.
    clients.forEach(HttpClient::shutdownNow);
    for (HttpClient client : clients) {
      try {
        client.awaitTermination(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** One stream's lines, as EventSource reads them: fields until an empty line. */
  private final class Lines implements Flow.Subscriber<String> {
    private final int status;
    private String type = "message";
    private final StringBuilder data = new StringBuilder();

    Lines(int status) {
      this.status = status;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      if (line.isEmpty()) {
        if (!data.isEmpty()) {
          listener.event(type, data.toString(), epochMicros());
        }
        type = "message";
        data.setLength(0);
      } else if (line.charAt(0) == ':') {
        heartbeats.incrementAndGet();
      } else if (line.startsWith("event:")) {
        type = line.substring(6).strip();
      } else if (line.startsWith("data:")) {
        if (!data.isEmpty()) {
          data.append('\n');
        }
        data.append(line, line.startsWith("data: ") ? 6 : 5, line.length());
      }
    }

    @Override
    public void onError(Throwable throwable) {
      ended(throwable.toString());
    }

    @Override
    public void onComplete() {
      ended("the service ended the stream");
    }

    private void ended(String why) {
      if (status == 200) {
        closed.incrementAndGet();
        firstClose.compareAndSet(null, why);
      }
    }
  }

  static long epochMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }
}
