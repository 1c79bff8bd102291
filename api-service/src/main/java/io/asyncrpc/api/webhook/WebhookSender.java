package io.asyncrpc.api.webhook;

import io.asyncrpc.api.schedule.FixedDelayWork;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Posts due deliveries: claims them ({@code FOR UPDATE SKIP LOCKED}, with a lease), sends each
 * signed request on a virtual thread, records the attempt and schedules the next one. A delivery
 * waiting for its next attempt is a row, not a thread; at most {@code max-in-flight} requests are
 * open at once.
 */
@Component
class WebhookSender extends FixedDelayWork {

  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

  /** The longest a stop waits for running attempts. */
  private static final Duration MAX_STOP = Duration.ofSeconds(10);

  /** Errors are shown to the tenant; long ones are cut. */
  private static final int MAX_ERROR = 500;

  /**
   * What one attempt got.
   *
   * @param statusCode the answer's status, or null without an answer
   * @param retryAfter the answer's {@code Retry-After}
   * @param error why the attempt failed, or null on a 2xx
   * @param reason the failure's kind for the metrics (low cardinality), or null on a 2xx
   */
  record Outcome(
      @Nullable Integer statusCode,
      @Nullable Duration retryAfter,
      @Nullable String error,
      @Nullable String reason) {}

  private final DeliveryStore deliveries;
  private final WebhookStore endpoints;
  private final TargetPolicy targets;
  private final RetrySchedule schedule;
  private final WebhookProperties properties;
  private final HttpClient http;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore permits;
  private final AtomicBoolean claiming = new AtomicBoolean();
  private final MeterRegistry meters;
  private final Counter sent;
  private final Timer latency;

  WebhookSender(
      DeliveryStore deliveries,
      WebhookStore endpoints,
      TargetPolicy targets,
      RetrySchedule schedule,
      WebhookProperties properties,
      TaskScheduler scheduler,
      MeterRegistry meters) {
    super("webhook claim", scheduler, properties.pollInterval(), properties.enabled());
    this.deliveries = deliveries;
    this.endpoints = endpoints;
    this.targets = targets;
    this.schedule = schedule;
    this.properties = properties;
    this.meters = meters;
    this.permits = new Semaphore(properties.maxInFlight());
    // Redirects are not followed: a redirect could lead past the target policy. HTTP/1.1: the
    // default (HTTP/2) would offer a plain-http receiver an h2c upgrade, which some mishandle.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(properties.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(workers)
            .build();
    this.sent =
        Counter.builder("iot.webhooks.sent")
            .description("Attempts an endpoint answered with a 2xx")
            .register(meters);
    this.latency =
        Timer.builder("iot.webhooks.latency")
            .description("From the event to the endpoint's 2xx")
            .publishPercentileHistogram()
            .register(meters);
  }

  /** Claims what is due and free permits allow, and starts sending it; returns how many. */
  int sendDue() {
    if (!claiming.compareAndSet(false, true)) {
      return 0; // another run is claiming; it takes what this one would
    }
    try {
      int free = permits.availablePermits();
      if (free == 0) {
        return 0;
      }
      List<DeliveryStore.Claimed> claimed = deliveries.claim(free, properties.lease());
      for (DeliveryStore.Claimed delivery : claimed) {
        if (!permits.tryAcquire()) {
          // Never wait here: a claimer that blocks stops every later send. A claim without a
          // permit is left to its lease and taken again then.
          log.warn(
              "webhook delivery {} claimed beyond the permits; retried after its lease",
              delivery.id());
          continue;
        }
        workers.execute(
            () -> {
              try {
                attempt(delivery);
              } catch (RuntimeException e) {
                // The claim's lease ends and the delivery is taken again.
                log.warn("webhook delivery {} not recorded", delivery.id(), e);
              } finally {
                permits.release();
              }
            });
      }
      return claimed.size();
    } finally {
      claiming.set(false);
    }
  }

  /** Looks for due deliveries now (the fan-out just made some) rather than at the next poll. */
  void wake() {
    if (isRunning()) {
      workers.execute(this::runSafely);
    }
  }

  /** Sends one claimed delivery and records what followed; blocking, on a virtual thread. */
  void attempt(DeliveryStore.Claimed delivery) {
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    Outcome outcome = post(delivery, started);
    long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    int attempts = delivery.attempts() + 1;
    RetrySchedule.Decision decision =
        schedule.decide(
            attempts,
            delivery.manual(),
            outcome.statusCode(),
            outcome.retryAfter(),
            ThreadLocalRandom.current().nextDouble());
    String status;
    Instant next = null;
    switch (decision) {
      case RetrySchedule.Succeeded s -> status = "succeeded";
      case RetrySchedule.RetryAfter r -> {
        status = "pending";
        next = Instant.now().plus(r.delay());
      }
      case RetrySchedule.GiveUp g -> status = "failed";
      case RetrySchedule.Gone g -> status = "failed";
    }
    boolean recorded =
        deliveries.recordAttempt(
            delivery, status, next, started, outcome.statusCode(), durationMs, outcome.error());
    if (!recorded) {
      log.warn("webhook delivery {}: its claim expired before the attempt ended", delivery.id());
      return;
    }
    if (outcome.error() == null) {
      sent.increment();
      latency.record(Duration.between(delivery.eventAt(), Instant.now()));
      endpoints.recordSuccess(delivery.endpointId());
      return;
    }
    String reason =
        Objects.requireNonNull(outcome.reason(), "a failed attempt's outcome names its kind");
    meters.counter("iot.webhooks.failed", "reason", reason).increment();
    if (decision instanceof RetrySchedule.Gone) {
      if (endpoints.disable(delivery.endpointId(), "the endpoint answered 410 Gone")) {
        disabled(delivery, "gone");
      }
    } else if (endpoints.recordFailure(
        delivery.endpointId(),
        properties.disableAfterFailures(),
        properties.disableAfterFailingFor())) {
      disabled(delivery, "failing");
    }
  }

  private void disabled(DeliveryStore.Claimed delivery, String reason) {
    meters.counter("iot.webhooks.disabled", "reason", reason).increment();
    log.warn("webhook endpoint {} disabled ({})", delivery.endpointId(), reason);
  }

  private Outcome post(DeliveryStore.Claimed delivery, Instant now) {
    Optional<String> refused = targets.problem(delivery.url());
    if (refused.isPresent()) {
      return new Outcome(null, null, "refused: the URL " + refused.get(), "refused_target");
    }
    String id = delivery.id().toString();
    long timestamp = now.getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(delivery.url()))
            .timeout(properties.requestTimeout())
            .header("Content-Type", "application/json")
            .header("User-Agent", "iot-async-rpc-webhooks/1")
            .header("webhook-id", id)
            .header("webhook-timestamp", Long.toString(timestamp))
            .header(
                "webhook-signature",
                WebhookSignature.header(delivery.secrets(), id, timestamp, delivery.body()))
            .POST(HttpRequest.BodyPublishers.ofString(delivery.body()))
            .build();
    CompletableFuture<HttpResponse<Void>> answer =
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
    try {
      // The request's own timeout ends at the headers; this one covers the body too.
      HttpResponse<Void> response =
          answer.get(properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
      int code = response.statusCode();
      if (code >= 200 && code < 300) {
        return new Outcome(code, null, null, null);
      }
      Duration retryAfter =
          RetrySchedule.parseRetryAfter(
              response.headers().firstValue("Retry-After").orElse(null), Instant.now());
      return new Outcome(code, retryAfter, "the endpoint answered " + code, "status");
    } catch (TimeoutException e) {
      answer.cancel(true);
      return timedOut();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        return timedOut();
      }
      String message =
          cause instanceof IOException && cause.getMessage() != null
              ? cause.getMessage()
              : String.valueOf(cause);
      return new Outcome(null, null, cut("connection failed: " + message), "connection");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(null, null, "interrupted: the service is stopping", "connection");
    }
  }

  private Outcome timedOut() {
    return new Outcome(
        null, null, "timed out after " + properties.requestTimeout().toMillis() + " ms", "timeout");
  }

  private static String cut(String text) {
    return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR) + "...";
  }

  @Override
  protected void runOnce() {
    sendDue();
  }

  @Override
  public void stop() {
    super.stop();
    // Let running attempts record their outcome (the database is still there), so the next
    // start does not send them again once their lease ends. Bounded like the other phases.
    Duration wait = min(properties.connectTimeout().plus(properties.requestTimeout()), MAX_STOP);
    try {
      if (permits.tryAcquire(properties.maxInFlight(), wait.toMillis(), TimeUnit.MILLISECONDS)) {
        permits.release(properties.maxInFlight());
      } else {
        log.info("webhook attempts still running at shutdown: their leases will retry them");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
