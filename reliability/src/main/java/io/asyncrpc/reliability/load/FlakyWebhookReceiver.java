package io.asyncrpc.reliability.load;

import com.sun.net.httpserver.HttpServer;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.WebhookSignatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The suite's webhook endpoint: it verifies every request's signature, answers every {@code
 * failEvery}-th request {@code 500} on purpose (so retries happen under the faults too), and
 * records which {@code task.finished} messages it accepted, by webhook-id and task id.
 */
public final class FlakyWebhookReceiver implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpServer server;
  private final int failEvery;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong refusedOnPurpose = new AtomicLong();
  private final AtomicLong badSignatures = new AtomicLong();
  private final Map<UUID, Set<String>> acceptedByTask = new ConcurrentHashMap<>();
  private volatile @Nullable String secret; // set by register, before any delivery

  public FlakyWebhookReceiver(int failEvery) {
    this.failEvery = failEvery;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          String id = exchange.getRequestHeaders().getFirst("webhook-id");
          String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
          String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
          int status;
          if (!WebhookSignatures.verifies(
              secret, id, timestamp, signature, new String(body, StandardCharsets.UTF_8))) {
            badSignatures.incrementAndGet();
            status = 401;
          } else if (requests.incrementAndGet() % failEvery == 0) {
            refusedOnPurpose.incrementAndGet();
            status = 500;
          } else {
            record(id, body);
            status = 204;
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    // Each request on a virtual thread of its own: the senders post many at once.
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  /**
   * Creates the suite's endpoint for {@code task.finished} through {@code api}, with the load's
   * tenant, and keeps its secret to verify requests with.
   */
  public void register(ApiClient api) {
    secret = api.createWebhook(url(), "fault suite", "task.finished").secret();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
  }

  /** Per task, the webhook-ids of the task.finished messages accepted (a retry repeats its id). */
  public Map<UUID, Set<String>> acceptedByTask() {
    return Map.copyOf(acceptedByTask);
  }

  public long refusedOnPurpose() {
    return refusedOnPurpose.get();
  }

  public long badSignatures() {
    return badSignatures.get();
  }

  private void record(String id, byte[] body) {
    JsonNode message = JSON.readTree(new String(body, StandardCharsets.UTF_8));
    if ("task.finished".equals(message.path("type").asString())) {
      UUID task = UUID.fromString(message.path("data").path("id").asString());
      acceptedByTask.computeIfAbsent(task, t -> ConcurrentHashMap.newKeySet()).add(id);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
