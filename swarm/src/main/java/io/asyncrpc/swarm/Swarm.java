package io.asyncrpc.swarm;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Many simulated devices in one JVM, each on its own MQTT 5 connection. The HiveMQ client shares
 * its Netty event loops between clients, so a connection costs memory, not a thread.
 */
public final class Swarm implements AutoCloseable {

  private final SwarmSettings settings;
  private final SwarmStats stats = new SwarmStats();
  private final SwarmListener listener;
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(
          2, Thread.ofPlatform().daemon().name("swarm-timer-", 0).factory());
  private final List<SimulatedDevice> devices = new ArrayList<>();
  private final ConcurrentHashMap<String, SimulatedDevice> byId = new ConcurrentHashMap<>();

  public Swarm(SwarmSettings settings, SwarmListener listener) {
    this.settings = settings;
    this.listener = listener;
  }

  public SwarmStats stats() {
    return stats;
  }

  public SwarmSettings settings() {
    return settings;
  }

  /**
   * Connects every device, at most {@code connectsPerSecond} a second, and starts the poll timers.
   *
   * @return completed when every device has connected, subscribed and polled once, or failed
   */
  public CompletableFuture<Void> start() {
    List<CompletableFuture<Void>> connected = new ArrayList<>();
    long spacingNanos = TimeUnit.SECONDS.toNanos(1) / settings.connectsPerSecond();
    List<String> ids = settings.deviceIds();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      Mqtt5AsyncClient client = client(id, i);
      SimulatedDevice device = new SimulatedDevice(id, client, settings, stats, listener, timers);
      devices.add(device);
      byId.put(id, device);
      CompletableFuture<Void> done = new CompletableFuture<>();
      connected.add(done);
      timers.schedule(() -> connect(device, client, done), spacingNanos * i, TimeUnit.NANOSECONDS);
    }
    long pollNanos = settings.pollInterval().toNanos();
    for (SimulatedDevice device : devices) {
      // Spread the polls over the interval, as devices started at random times would.
      long offset = ThreadLocalRandom.current().nextLong(pollNanos);
      timers.scheduleAtFixedRate(device::pollIfIdle, offset, pollNanos, TimeUnit.NANOSECONDS);
    }
    return CompletableFuture.allOf(connected.toArray(CompletableFuture[]::new));
  }

  @Override
  public void close() {
    timers.shutdownNow();
    CompletableFuture.allOf(
            devices.stream().map(SimulatedDevice::close).toArray(CompletableFuture[]::new))
        .orTimeout(30, TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
  }

  private void connect(
      SimulatedDevice device, Mqtt5AsyncClient client, CompletableFuture<Void> done) {
    client
        .connectWith()
        .cleanStart(true)
        .keepAlive(60)
        .send()
        .thenCompose(connAck -> device.subscribeAndPoll())
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                stats.connectFailures.increment();
                done.completeExceptionally(failure);
              } else {
                done.complete(null);
              }
            });
  }

  private Mqtt5AsyncClient client(String id, int index) {
    Mqtt5ClientBuilder builder =
        Mqtt5Client.builder()
            .identifier(id)
            .serverHost(settings.host())
            .serverPort(settings.port())
            .addDisconnectedListener(context -> byId.get(id).disconnected());
    List<String> addresses = settings.localAddresses();
    if (!addresses.isEmpty()) {
      builder =
          builder
              .transportConfig()
              .serverHost(settings.host())
              .serverPort(settings.port())
              .localAddress(addresses.get(index % addresses.size()))
              .applyTransportConfig();
    }
    return builder
        .simpleAuth()
        .username(settings.username())
        .password(settings.password().getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .applySimpleAuth()
        .buildAsync();
  }
}
