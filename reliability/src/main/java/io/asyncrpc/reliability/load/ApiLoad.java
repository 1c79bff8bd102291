package io.asyncrpc.reliability.load;

import io.asyncrpc.reliability.history.AcceptedTask;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.ApiClient.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A control-center app under faults: creates tasks at a steady rate over REST and logs every {@code
 * 202} (task id, device, time). Refusals and broken connections are counted, not retried: only what
 * the API acknowledged is promised.
 */
public final class ApiLoad implements AutoCloseable {

  /** The tenant and client id of the suite's token. */
  public static final String TENANT = "reliability";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ApiClient api;
  private final ConcurrentLinkedQueue<AcceptedTask> accepted = new ConcurrentLinkedQueue<>();
  private final Semaphore inFlight = new Semaphore(32);
  private final LongAdder refused = new LongAdder();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());

  /** The load through {@code api} (see {@link #client(String)}). */
  public ApiLoad(ApiClient api) {
    this.api = api;
  }

  /**
   * A client of the API at {@code base} with the suite's tenant; 10 s per request, so a hung API
   * does not pile up requests.
   */
  public static ApiClient client(String base) {
    return new ApiClient(
        base,
        ApiClient.testTokens(
            TENANT, "tasks:read", "tasks:write", "devices:admin", "webhooks:admin"),
        Duration.ofSeconds(10));
  }

  /** Registers {@code deviceIds} (201, or 409 when they exist). */
  public void register(List<String> deviceIds) {
    for (String id : deviceIds) {
      int status =
          send("POST", "/devices", Map.of("id", id, "display_name", "fault suite")).status();
      if (status != 201 && status != 409) {
        throw new IllegalStateException("registering " + id + " answered " + status);
      }
    }
  }

  /**
   * Creates a fleet job over {@code deviceIds} through the API (a few tries while the API is
   * unreachable) and returns its id: {@code perMinute} executions a minute, each with a 60 s ttl
   * and {@code retries} retries after a time-out.
   */
  public UUID createJob(List<String> deviceIds, int perMinute, int retries) {
    Map<String, Object> job =
        Map.of(
            "targets",
            Map.of("device_ids", deviceIds),
            "method_code",
            "fault.job",
            "payload",
            Map.of("device", "{{device.id}}"),
            "ttl",
            60,
            "retries",
            retries,
            "rollout",
            Map.of("max_per_minute", perMinute));
    for (int attempt = 0; attempt < 5; attempt++) {
      Answer answer = send("POST", "/jobs", job);
      if (answer.status() == 202) {
        JsonNode id =
            answer.body().has("id")
                ? answer.body().path("id")
                : answer.body().path("job").path("id");
        return UUID.fromString(id.asString());
      }
      if (answer.status() != 0 && answer.status() < 500) {
        throw new IllegalStateException(
            "creating the job answered " + answer.status() + " " + answer.body());
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException("the job could not be created");
  }

  /** Creates a task for a random one of {@code deviceIds} every {@code period}, until closed. */
  public void start(List<String> deviceIds, Duration period) {
    timer.scheduleAtFixedRate(
        () -> {
          if (!inFlight.tryAcquire()) {
            refused.increment(); // the API hangs: do not pile up requests
            return;
          }
          String device = deviceIds.get(ThreadLocalRandom.current().nextInt(deviceIds.size()));
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      create(device, 120);
                    } finally {
                      inFlight.release();
                    }
                  });
        },
        0,
        period.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  /** Creates one task for {@code device} with {@code ttlSeconds}; its id when answered 202. */
  public Optional<UUID> create(String device, int ttlSeconds) {
    Answer answer =
        send(
            "POST",
            "/tasks",
            Map.of(
                "device_id",
                device,
                "method_code",
                "work",
                "ttl",
                ttlSeconds,
                "payload",
                Map.of("n", ThreadLocalRandom.current().nextInt(1000))));
    if (answer.status() != 202) {
      refused.increment();
      return Optional.empty();
    }
    UUID id = UUID.fromString(answer.body().get("id").asString());
    accepted.add(new AcceptedTask(id, device, Instant.now()));
    return Optional.of(id);
  }

  /** The task's status over REST, empty when the API does not answer. */
  public Optional<String> status(UUID taskId) {
    Answer answer = send("GET", "/tasks/" + taskId, null);
    return answer.status() == 200
        ? Optional.of(answer.body().get("status").asString())
        : Optional.empty();
  }

  /** The 202 log so far. */
  public List<AcceptedTask> accepted() {
    return List.copyOf(accepted);
  }

  public long refused() {
    return refused.sum();
  }

  /** Stops creating tasks; requests under way finish. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      inFlight.tryAcquire(32, 15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The API's answer; status 0 when it did not answer (the faults make that common). */
  private Answer send(String method, String path, @Nullable Object body) {
    try {
      return switch (method) {
        case "GET" -> api.get(path);
        case "POST" -> api.post(path, body);
        default -> throw new IllegalArgumentException(method);
      };
    } catch (RuntimeException e) {
      return new Answer(0, JSON.missingNode());
    }
  }
}
