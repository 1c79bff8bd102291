package io.asyncrpc.agent.internal;

import io.asyncrpc.agent.DeviceAgent;
import io.asyncrpc.agent.EventOutcome;
import io.asyncrpc.protocol.DeviceEvent;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/** The {@link DeviceAgent} the builder makes: wires the journal, engine and MQTT connection. */
public final class DefaultDeviceAgent implements DeviceAgent {

  private static final System.Logger LOG = System.getLogger(DefaultDeviceAgent.class.getName());

  private final AgentConfig config;
  private final ScheduledExecutorService events;
  private final ExecutorService workers;
  private final MqttConnection connection;
  private final AgentEngine engine;
  private @Nullable CompletableFuture<Void> started;
  private boolean closed;

  /** Builds the agent from a validated configuration; nothing connects before {@link #start()}. */
  public DefaultDeviceAgent(AgentConfig config) {
    this.config = config;
    String name = "device-agent-" + config.deviceId().value();
    ScheduledThreadPoolExecutor scheduler =
        new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name(name).factory());
    scheduler.setRemoveOnCancelPolicy(true);
    this.events = scheduler;
    this.workers =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-task-", 0).factory());
    ResultJournal journal =
        config.journal() == null
            ? ResultJournal.inMemory(config.journalCapacity())
            : ResultJournal.open(config.journal(), config.journalCapacity());
    this.connection = new MqttConnection(config, events);
    this.engine = new AgentEngine(config, journal, connection, events, workers);
  }

  @Override
  public String deviceId() {
    return config.deviceId().value();
  }

  @Override
  public synchronized CompletableFuture<Void> start() {
    if (closed) {
      throw new IllegalStateException("agent " + deviceId() + " is closed");
    }
    if (started == null) {
      events.execute(engine::start);
      started = connection.connect(engine);
    }
    return started;
  }

  @Override
  public boolean isConnected() {
    return connection.isConnected();
  }

  @Override
  public CompletableFuture<EventOutcome> publishEvent(
      DeviceEvent event, @Nullable String payloadJson) {
    // Thread-safe without the lock: the engine hands the event to its event thread, and a closed
    // agent's executor refuses it (the future then fails).
    return engine.publishEvent(event, payloadJson);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    connection.close();
    try {
      events.submit(engine::close).get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(Level.WARNING, "closing agent " + deviceId() + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
    events.shutdown();
    if (started != null && !started.isDone()) {
      started.completeExceptionally(new IllegalStateException("agent closed before connecting"));
    }
    LOG.log(Level.INFO, "agent " + deviceId() + " closed");
  }
}
