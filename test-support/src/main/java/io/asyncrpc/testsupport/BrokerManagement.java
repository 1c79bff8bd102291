package io.asyncrpc.testsupport;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The test broker's management, the one client of it for every suite: the node's version and
 * process, its connections, the messages waiting in a queue, and the users, permissions and
 * connections a test makes or ends as ca-service and an operator would.
 *
 * <p>The broker runs with its management metrics collector off ({@code rabbitmq/rabbitmq.conf}):
 * the HTTP API still lists connections, queues, users and permissions, and counts objects, but
 * reports no message counts, rates or node figures (memory, pid, descriptors). Queue depths are
 * therefore read over AMQP (a passive declare), not from the HTTP API.
 */
public final class BrokerManagement {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String base;
  private final String authorization;
  private final ConnectionFactory amqp = new ConnectionFactory();

  /**
   * The broker on {@code host}: its management API on {@code port}, AMQP on {@code amqpPort}, with
   * an administrator login.
   */
  public BrokerManagement(String host, int port, int amqpPort, String user, String password) {
    this.base = "http://" + host + ":" + port + "/api";
    amqp.setHost(host);
    amqp.setPort(amqpPort);
    amqp.setUsername(user);
    amqp.setPassword(password);
    amqp.setConnectionTimeout(5_000);
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** The management API of the broker at {@code endpoints}, with the services' login. */
  public static BrokerManagement of(Endpoints endpoints) {
    return new BrokerManagement(
        endpoints.amqpHost(),
        endpoints.managementPort(),
        endpoints.amqpPort(),
        endpoints.amqpUser(),
        endpoints.amqpPassword());
  }

  /** The RabbitMQ and Erlang versions, for example {@code RabbitMQ 4.0.5 (Erlang 27.3)}. */
  public String version() {
    JsonNode overview = get("/overview");
    return "RabbitMQ %s (Erlang %s)"
        .formatted(
            overview.path("rabbitmq_version").asString(),
            overview.path("erlang_version").asString());
  }

  /**
   * Memory the broker's node uses, in bytes, as its memory monitor accounts it; -1 when the node
   * does not report it (its metrics collector is off: {@code rabbitmq-diagnostics memory_breakdown}
   * shows it then).
   */
  public long memoryUsed() {
    return get("/nodes").get(0).path("mem_used").asLong(-1);
  }

  /**
   * The resident set size of the broker's OS process, in bytes, read from /proc by the pid the node
   * reports (0 where that is not readable). Unlike the node's own accounting, which may count
   * allocated but untouched buffers, this is the physical memory the broker holds.
   */
  public long residentBytes() {
    String pid = Long.toString(pid());
    try {
      for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  /**
   * The process id of the broker's node (its {@code beam.smp}): as the node reports it, or from the
   * pid file the local stack's node writes in its root ({@code
   * $IOTCORE_HOME/trixie/var/lib/iotcore}) when the management statistics do not report it (not
   * yet, or not at all with the metrics collector off); -1 when neither is known.
   */
  public long pid() {
    JsonNode node = get("/nodes").get(0);
    String reported = node.path("os_pid").asString("");
    if (reported.matches("[0-9]+")) {
      return Long.parseLong(reported);
    }
    String home =
        System.getenv()
            .getOrDefault("IOTCORE_HOME", System.getProperty("user.home") + "/.cache/iot-core");
    Path file = Path.of(home, "trixie/var/lib/iotcore", node.path("name").asString() + ".pid");
    try {
      return Long.parseLong(Files.readString(file).strip());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** Open connections of every protocol (the node counts them with its metrics collector off). */
  public long connections() {
    return get("/overview").path("object_totals").path("connections").asLong();
  }

  /** Queues of every virtual host (the node counts them with its metrics collector off). */
  public long queues() {
    return get("/overview").path("object_totals").path("queues").asLong();
  }

  /**
   * Waits until at most {@code atMost} queues exist, or {@code timeout} passed: the broker deletes
   * a closed clean MQTT session's queue after its connection, and thousands take a while.
   *
   * @return the queues last counted
   */
  public long awaitQueuesAtMost(long atMost, Duration timeout) {
    return awaitAtMost(this::queues, atMost, timeout);
  }

  /**
   * Waits until at most {@code atMost} connections are open, or {@code timeout} passed: a swarm's
   * thousands of closing connections keep the broker busy for a while after they were closed.
   *
   * @return the connections last counted
   */
  public long awaitConnectionsAtMost(long atMost, Duration timeout) {
    return awaitAtMost(this::connections, atMost, timeout);
  }

  private static long awaitAtMost(LongSupplier count, long atMost, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long now = count.getAsLong();
    while (now > atMost && System.nanoTime() < deadline) {
      pause();
      now = count.getAsLong();
    }
    return now;
  }

  /**
   * Messages ready in the queue {@code name} of the default virtual host, waiting for a consumer
   * (delivered but unacknowledged ones are not counted), as a passive declare answers now; -1 when
   * the queue does not exist.
   */
  public long queueMessages(String name) {
    try (AmqpSession session = new AmqpSession()) {
      return session.ready(name);
    }
  }

  /**
   * Waits until no message is ready in the queues {@code names}, or {@code timeout} passed: the
   * core works through presence events and device messages after a swarm connected or left.
   *
   * @return the messages last counted ready in them
   */
  public long awaitDrained(List<String> names, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (AmqpSession session = new AmqpSession()) {
      while (true) {
        long left = 0;
        for (String name : names) {
          left += Math.max(0, session.ready(name));
        }
        if (left == 0 || System.nanoTime() >= deadline) {
          return left;
        }
        pause();
      }
    }
  }

  /** The users with an open connection (MQTT or AMQP), one entry per connection. */
  public List<String> connectedUsers() {
    List<String> users = new ArrayList<>();
    for (JsonNode connection : get("/connections?columns=user")) {
      users.add(connection.path("user").asString());
    }
    return users;
  }

  /**
   * Closes every connection of user {@code name}, as ca-service does for a revoked device. (The
   * MQTT client id of a connection is not listed with the metrics collector off; its user is.)
   */
  public void closeConnectionsOf(String name) {
    send("DELETE", "/connections/username/" + encode(name), null);
  }

  /**
   * Creates or replaces user {@code name}: with {@code password}, or none (certificate login only)
   * when it is null; no tags. A test gives a device user made by ca-service a password this way, to
   * log in over plain MQTT where a real device uses its certificate.
   */
  public void putUser(String name, @Nullable String password) {
    send(
        "PUT",
        "/users/" + encode(name),
        password == null
            ? "{\"password_hash\":\"\",\"tags\":\"\"}"
            : JSON.writeValueAsString(Map.of("password", password, "tags", "")));
  }

  /** Deletes user {@code name}, which also closes its connections; an absent user is no error. */
  public void deleteUser(String name) {
    try {
      send("DELETE", "/users/" + encode(name), null);
    } catch (UnexpectedStatus e) {
      if (e.status() != 404) {
        throw e;
      }
    }
  }

  /** Sets {@code user}'s configure, write and read patterns in the default virtual host. */
  public void putPermissions(String user, String configure, String write, String read) {
    send(
        "PUT",
        "/permissions/%2F/" + encode(user),
        JSON.writeValueAsString(Map.of("configure", configure, "write", write, "read", read)));
  }

  /** Sets {@code user}'s topic permissions on {@code exchange} in the default virtual host. */
  public void putTopicPermissions(String user, String exchange, String write, String read) {
    send(
        "PUT",
        "/topic-permissions/%2F/" + encode(user),
        JSON.writeValueAsString(Map.of("exchange", exchange, "write", write, "read", read)));
  }

  /** User {@code name} as the broker shows it, or null when there is none. */
  public @Nullable JsonNode user(String name) {
    return getOrNull("/users/" + encode(name));
  }

  /** {@code user}'s permissions in the default virtual host, or null when it has none. */
  public @Nullable JsonNode permissions(String user) {
    return getOrNull("/permissions/%2F/" + encode(user));
  }

  /** {@code user}'s topic permissions in the default virtual host (an array), or null. */
  public @Nullable JsonNode topicPermissions(String user) {
    return getOrNull("/topic-permissions/%2F/" + encode(user));
  }

  private JsonNode get(String path) {
    return JSON.readTree(send("GET", path, null));
  }

  private @Nullable JsonNode getOrNull(String path) {
    try {
      return get(path);
    } catch (UnexpectedStatus e) {
      if (e.status() == 404) {
        return null;
      }
      throw e;
    }
  }

  /**
   * Sends a request; anything but a 2xx is {@link UnexpectedStatus}. Every request of this client
   * is idempotent, and the broker's web server closes a keep-alive connection after a few requests:
   * one that fails on the wire is sent once more.
   */
  private String send(String method, String path, @Nullable String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", authorization)
            .timeout(Duration.ofSeconds(30));
    if (json == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    HttpResponse<String> response;
    try {
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException closed) {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + method + " " + path, e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new UnexpectedStatus(method + " " + path, response.statusCode(), response.body());
    }
    return response.body();
  }

  private static void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One AMQP connection of the administrator login, for passive declares. */
  private final class AmqpSession implements AutoCloseable {

    private final Connection connection;

    AmqpSession() {
      try {
        connection = amqp.newConnection("test-support BrokerManagement");
      } catch (IOException | TimeoutException e) {
        throw new IllegalStateException("AMQP " + amqp.getHost() + ":" + amqp.getPort(), e);
      }
    }

    /** Messages ready in queue {@code name}, -1 when it does not exist. */
    long ready(String name) {
      // A passive declare of a missing queue closes its channel: one channel per declare.
      Channel channel = null;
      try {
        channel = connection.createChannel();
        return channel.queueDeclarePassive(name).getMessageCount();
      } catch (IOException e) {
        if (e.getCause() instanceof ShutdownSignalException signal
            && signal.getReason() instanceof AMQP.Channel.Close close
            && close.getReplyCode() == AMQP.NOT_FOUND) {
          return -1;
        }
        throw new UncheckedIOException("passive declare of queue " + name, e);
      } finally {
        if (channel != null && channel.isOpen()) {
          try {
            channel.close();
          } catch (IOException | TimeoutException e) {
            // The connection closes it anyway.
          }
        }
      }
    }

    @Override
    public void close() {
      try {
        connection.close();
      } catch (IOException e) {
        // Closed by the broker already.
      }
    }
  }

  /** A path segment: the management API takes %20 for a space, not +. */
  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
