package io.asyncrpc.swarm;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many simulated devices in one JVM, each on its own MQTT 5 connection. The HiveMQ client shares
 * its Netty event loops between clients, so a connection costs memory, not a thread.
 */
public final class Swarm implements AutoCloseable {

  /**
   * The MQTT keep-alive of every simulated device: a device that sends nothing pings this often.
   */
  public static final Duration KEEP_ALIVE = Duration.ofSeconds(60);

  /** How often a device tries its first connection before {@link #start()} reports it failed. */
  static final int FIRST_CONNECT_ATTEMPTS = 5;

  private static final Duration FIRST_CONNECT_RETRY = Duration.ofSeconds(2);

  private final SwarmSettings settings;
  private final SwarmStats stats = new SwarmStats();
  private final SwarmListener listener;
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(
          2, Thread.ofPlatform().daemon().name("swarm-timer-", 0).factory());
  private final List<SimulatedDevice> devices = new ArrayList<>();
  private final ConcurrentHashMap<String, SimulatedDevice> byId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Mqtt5AsyncClient> clients = new ConcurrentHashMap<>();
  private List<Integer> ports = List.of();
  private boolean reconnect;

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
   * Makes devices reconnect by themselves when their connection is lost (a broker restart), and
   * spreads them over {@code mqttPorts} (the nodes of a cluster; empty for the settings' port),
   * moving a device to the next port when its connection is lost. Call before {@link #start()}.
   */
  public Swarm reconnecting(List<Integer> mqttPorts) {
    this.reconnect = true;
    this.ports = List.copyOf(mqttPorts);
    return this;
  }

  /** Makes {@code deviceId} misbehave once, with its next task. */
  public void injectFault(String deviceId, DeviceFault fault) {
    device(deviceId).arm(fault);
  }

  /** Makes {@code deviceId} send a result for {@code taskId}, a task it does not hold. */
  public void sendStrayResult(String deviceId, UUID taskId) {
    device(deviceId).sendStrayResult(taskId);
  }

  /** A reconnect storm: every device drops its connection and connects again, all at once. */
  public void reconnectAll() {
    for (SimulatedDevice device : devices) {
      device.disconnected();
      Mqtt5AsyncClient client =
          Objects.requireNonNull(clients.get(device.id()), "start() keeps each device's client");
      client.disconnect().whenComplete((ok, e) -> reconnect(device, client));
    }
  }

  /** A reconnect the swarm drives after a user disconnect: connect, subscribe, poll. */
  private void reconnect(SimulatedDevice device, Mqtt5AsyncClient client) {
    device.rejoining();
    connectAndSubscribe(device, client)
        .exceptionally(
            e -> {
              stats.connectFailures.increment();
              timers.schedule(() -> reconnect(device, client), 1, TimeUnit.SECONDS);
              return null;
            });
  }

  /** The device of a connection event: it is in the swarm before its client connects. */
  private SimulatedDevice connected(String id) {
    return Objects.requireNonNull(byId.get(id), "start() adds a device before it connects");
  }

  private SimulatedDevice device(String deviceId) {
    SimulatedDevice device = byId.get(deviceId);
    if (device == null) {
      throw new IllegalArgumentException("no device " + deviceId + " in this swarm");
    }
    return device;
  }

  /**
   * Connects every device, at most {@code connectsPerSecond} a second, and starts the poll timers
   * and, with an event rate, the event timers (a device publishes only while online).
   *
   * @return completed when every device has connected, subscribed and polled once, or failed (a
   *     device tries {@link #FIRST_CONNECT_ATTEMPTS} times, 2 s apart; each failed attempt counts
   *     in {@link SwarmStats.Snapshot#connectFailures()})
   */
  public CompletableFuture<Void> start() {
    List<CompletableFuture<Void>> connected = new ArrayList<>();
    long spacingNanos = TimeUnit.SECONDS.toNanos(1) / settings.connectsPerSecond();
    List<String> ids = settings.deviceIds();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      Mqtt5AsyncClient client = client(id, i);
      SimulatedDevice device =
          new SimulatedDevice(
              id, settings.protocolOf(i), client, settings, stats, listener, timers);
      devices.add(device);
      byId.put(id, device);
      clients.put(id, client);
      device.onCrashReconnect(() -> reconnect(device, client));
      CompletableFuture<Void> done = new CompletableFuture<>();
      connected.add(done);
      timers.schedule(
          () -> connect(device, client, done, 1), spacingNanos * i, TimeUnit.NANOSECONDS);
    }
    long pollNanos = settings.pollInterval().toNanos();
    for (SimulatedDevice device : devices) {
      // Spread the polls over the interval, as devices started at random times would.
      long offset = ThreadLocalRandom.current().nextLong(pollNanos);
      timers.scheduleAtFixedRate(device::pollIfIdle, offset, pollNanos, TimeUnit.NANOSECONDS);
    }
    if (settings.eventRate() > 0) {
      long eventNanos = Math.max(1, (long) (TimeUnit.SECONDS.toNanos(1) / settings.eventRate()));
      for (SimulatedDevice device : devices) {
        long offset = ThreadLocalRandom.current().nextLong(eventNanos);
        timers.scheduleAtFixedRate(device::publishEvent, offset, eventNanos, TimeUnit.NANOSECONDS);
      }
    }
    return CompletableFuture.allOf(connected.toArray(CompletableFuture[]::new));
  }

  @Override
  public void close() {
    // Devices first: a message still arriving schedules work on the timers, which must be there.
    CompletableFuture.allOf(
            devices.stream().map(SimulatedDevice::close).toArray(CompletableFuture[]::new))
        .orTimeout(30, TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
    timers.shutdownNow();
  }

  private void connect(
      SimulatedDevice device, Mqtt5AsyncClient client, CompletableFuture<Void> done, int attempt) {
    connectAndSubscribe(device, client)
        .whenComplete(
            (ok, failure) -> {
              if (failure == null) {
                done.complete(null);
                return;
              }
              stats.connectFailures.increment();
              if (attempt < FIRST_CONNECT_ATTEMPTS) {
                // A broker still closing another swarm's 10,000 sessions dropped some new
                // connections (session expired as the connection closed); a device tries again.
                timers.schedule(
                    () -> connect(device, client, done, attempt + 1),
                    FIRST_CONNECT_RETRY.toMillis(),
                    TimeUnit.MILLISECONDS);
              } else {
                done.completeExceptionally(failure);
              }
            });
  }

  /** A clean session, the device's subscription and its first poll. */
  private static CompletableFuture<Void> connectAndSubscribe(
      SimulatedDevice device, Mqtt5AsyncClient client) {
    return client
        .connectWith()
        .cleanStart(true)
        .keepAlive((int) KEEP_ALIVE.toSeconds())
        .send()
        .thenCompose(connAck -> device.subscribeAndPoll());
  }

  private Mqtt5AsyncClient client(String id, int index) {
    int port = ports.isEmpty() ? settings.port() : ports.get(index % ports.size());
    Mqtt5ClientBuilder builder =
        Mqtt5Client.builder()
            .identifier(id)
            .serverHost(settings.host())
            .serverPort(port)
            .addDisconnectedListener(context -> connected(id).disconnected());
    if (reconnect) {
      AtomicInteger next = new AtomicInteger(index);
      builder =
          builder
              .automaticReconnect()
              .initialDelay(250, TimeUnit.MILLISECONDS)
              .maxDelay(2, TimeUnit.SECONDS)
              .applyAutomaticReconnect()
              .addConnectedListener(context -> connected(id).reconnected())
              .addDisconnectedListener(
                  context -> {
                    if (ports.size() > 1 && context.getReconnector().isReconnect()) {
                      int to = ports.get(next.incrementAndGet() % ports.size());
                      context
                          .getReconnector()
                          .transportConfig()
                          .serverHost(settings.host())
                          .serverPort(to)
                          .applyTransportConfig();
                    }
                  });
    }
    List<String> addresses = settings.localAddresses();
    if (!addresses.isEmpty()) {
      builder =
          builder
              .transportConfig()
              .serverHost(settings.host())
              .serverPort(port)
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
