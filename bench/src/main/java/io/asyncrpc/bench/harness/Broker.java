package io.asyncrpc.bench.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The broker's management HTTP API: its version and the memory its node uses. */
public final class Broker {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String authorization;

  /** The management API on {@code host:port} with an administrator login. */
  public Broker(String host, int port, String user, String password) {
    this.base = "http://" + host + ":" + port + "/api";
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** The RabbitMQ and Erlang versions, for example {@code RabbitMQ 4.0.5 (Erlang 27.3)}. */
  public String version() throws IOException, InterruptedException {
    JsonNode overview = get("/overview");
    return "RabbitMQ %s (Erlang %s)"
        .formatted(
            overview.path("rabbitmq_version").asString(),
            overview.path("erlang_version").asString());
  }

  /** Memory the broker's node uses, in bytes, as its memory monitor accounts it. */
  public long memoryUsed() throws IOException, InterruptedException {
    return get("/nodes").get(0).path("mem_used").asLong();
  }

  /**
   * The resident set size of the broker's OS process, in bytes, read from /proc by the pid the node
   * reports (0 where that is not readable). Unlike the node's own accounting, which may count
   * allocated but untouched buffers, this is the physical memory the broker holds.
   */
  public long residentBytes() throws IOException, InterruptedException {
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
   * $IOTCORE_HOME/trixie/var/lib/iotcore}) while the management statistics do not report it yet; -1
   * when neither is known.
   */
  public long pid() throws IOException, InterruptedException {
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

  /** Open connections of every protocol, as the management statistics last counted them. */
  public long connections() throws IOException, InterruptedException {
    return get("/overview").path("object_totals").path("connections").asLong();
  }

  /**
   * Waits until at most {@code atMost} connections are open, or {@code timeout} passed: a swarm's
   * thousands of closing connections keep the broker busy for a while after they were closed.
   *
   * @return the connections last counted
   */
  public long awaitConnectionsAtMost(long atMost, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long open = connections();
    while (open > atMost && System.nanoTime() < deadline) {
      Thread.sleep(1000);
      open = connections();
    }
    return open;
  }

  /**
   * Messages in the queue {@code name} of the default virtual host, ready and unacknowledged, as
   * the management statistics last counted them; -1 when the queue does not exist.
   */
  public long queueMessages(String name) throws IOException, InterruptedException {
    try {
      return get("/queues/%2F/" + name).path("messages").asLong(0);
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().endsWith("404")) {
        return -1;
      }
      throw e;
    }
  }

  /**
   * Waits until the queues {@code names} are empty, or {@code timeout} passed: the core works
   * through presence events and device messages after a swarm connected or left.
   *
   * @return the messages last counted in them
   */
  public long awaitDrained(List<String> names, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = 0;
      for (String name : names) {
        left += Math.max(0, queueMessages(name));
      }
      if (left == 0 || System.nanoTime() >= deadline) {
        return left;
      }
      Thread.sleep(1000);
    }
  }

  /** File descriptors the node may open (its limit), or -1 when not reported. */
  public long fileDescriptorLimit() throws IOException, InterruptedException {
    return get("/nodes").get(0).path("fd_total").asLong(-1);
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", authorization)
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }
}
