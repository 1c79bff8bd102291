package io.asyncrpc.bench.events;

import io.asyncrpc.bench.harness.ConnectWait;
import io.asyncrpc.bench.lifecycle.Registration;
import io.asyncrpc.protocol.ProtocolVersion;
import io.asyncrpc.swarm.Swarm;
import io.asyncrpc.swarm.SwarmListener;
import io.asyncrpc.swarm.SwarmSettings;
import io.asyncrpc.testsupport.ApiClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * A small swarm of connected v2 devices that answer every task at once, so the event steps have
 * lifecycles running: tasks finish, the core commits them, the event log tells of them.
 */
public final class Responders implements SwarmListener, AutoCloseable {

  static final String METHOD = "bench.noop";
  private static final int TTL_SECONDS = 300;
  private static final String PAYLOAD = "{\"n\":1}";

  /**
   * A task POSTed for one of the devices.
   *
   * @param id the task
   * @param postedNanos when the POST was sent
   * @param committed completes with the {@link System#nanoTime()} of the device's commit
   */
  record Posted(UUID id, long postedNanos, CompletableFuture<Long> committed) {}

  private final ApiClient api;
  private final List<String> devices;
  private final ConcurrentHashMap<UUID, CompletableFuture<Long>> commits =
      new ConcurrentHashMap<>();
  private @Nullable Swarm swarm; // set once the listener (this) exists

  private Responders(ApiClient api, List<String> devices) {
    this.api = api;
    this.devices = devices;
  }

  /** Registers and connects {@code count} devices {@code prefix-0 …}. */
  public static Responders start(
      ApiClient api,
      String host,
      int mqttPort,
      String prefix,
      int count,
      int connectsPerSecond,
      List<String> localAddresses)
      throws Exception {
    List<String> ids = IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
    Registration.registerAll(api, ids, 16);
    Responders responders = new Responders(api, ids);
    Swarm swarm =
        new Swarm(
            SwarmSettings.of(host, mqttPort, prefix, count)
                .withProtocol(ProtocolVersion.V2)
                // Idle devices poll their FIFO rarely: the steps measure the API, not the polls.
                .withPolling(Duration.ofSeconds(300), Duration.ofSeconds(5))
                .withConnections(localAddresses, connectsPerSecond),
            responders);
    responders.swarm = swarm;
    try {
      swarm.start().get(ConnectWait.budget(count, connectsPerSecond).toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      responders.close();
      throw e;
    }
    int online = swarm.stats().snapshot().online();
    if (online < count) {
      responders.close();
      throw new IllegalStateException(online + " of " + count + " responders connected");
    }
    return responders;
  }

  List<String> devices() {
    return devices;
  }

  /** POSTs a task for {@code device}; its future completes when the device got the commit. */
  Posted post(String device) throws Exception {
    long posted = System.nanoTime();
    UUID id = api.createTask(device, METHOD, TTL_SECONDS, PAYLOAD);
    CompletableFuture<Long> committed = commits.computeIfAbsent(id, k -> new CompletableFuture<>());
    committed.whenComplete((at, e) -> commits.remove(id));
    return new Posted(id, posted, committed);
  }

  @Override
  public void taskCommitted(String deviceId, UUID taskId, long nanoTime) {
    // The commit may arrive before the POST's answer told the id: whichever is first creates it.
    commits.computeIfAbsent(taskId, k -> new CompletableFuture<>()).complete(nanoTime);
  }

  @Override
  public void close() {
    if (swarm != null) {
      swarm.close();
    }
  }
}
