package io.asyncrpc.core;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the core service, prefix {@code iot.core}.
 *
 * @param lease how long a device holds a task it requested before the lease sweep takes it back
 * @param maxAttempts how many times a task is handed out before a passed lease times it out
 * @param sweepInterval pause between two runs of the deadline and lease sweeps
 * @param sweepBatchSize most tasks one sweep statement changes, so a backlog is worked off in
 *     bounded transactions
 * @param confirmTimeout how long a publish to a device waits for the broker's confirm
 * @param lastSeenThrottle the devices heard from are written to {@code last_seen_at} together, once
 *     per this period per core instance (a device heard from for the first time in a while, at
 *     once)
 * @param presenceEnabled whether to consume RabbitMQ connection events (needs the broker plugin
 *     {@code rabbitmq_event_exchange})
 * @param listener consumers of the core queues
 * @param events device events: retention
 * @param deviceRate how many requests and events one device may send per second (per core instance)
 *     before the rest are dropped and counted; a flooding device does not slow others
 * @param queueType the type of the queues the core consumes: {@code classic} on one node (device
 *     messages are retried by their devices until committed, task events are recovered from
 *     PostgreSQL), {@code quorum} for a cluster, where a queue must survive its node; must match
 *     the broker's definitions
 * @param notifications the PostgreSQL notification of new tasks ({@code
 *     iot.outbox.task-created=notify} in api-service)
 */
@Validated
@ConfigurationProperties("iot.core")
public record CoreProperties(
    @DefaultValue("30s") @NotNull Duration lease,
    @DefaultValue("3") @Min(1) @Max(100) int maxAttempts,
    @DefaultValue("1s") @NotNull Duration sweepInterval,
    @DefaultValue("500") @Min(1) int sweepBatchSize,
    @DefaultValue("5s") @NotNull Duration confirmTimeout,
    @DefaultValue("5s") @NotNull Duration lastSeenThrottle,
    @DefaultValue("true") boolean presenceEnabled,
    @DefaultValue @Valid Listener listener,
    @DefaultValue("classic") @NotNull QueueType queueType,
    @DefaultValue @Valid Events events,
    @DefaultValue @Valid DeviceRate deviceRate,
    @DefaultValue @Valid Notifications notifications) {

  /**
   * The listener of new tasks' notifications; one instance at a time listens (the one holding the
   * advisory lock), the others wait to take over.
   *
   * @param enabled whether this instance competes to listen
   * @param retry pause before a lost connection is opened again, and between two tries of a waiting
   *     instance to take over
   * @param concurrency most batches of notified tasks triggered at once; while that many are, the
   *     listener lets the next notifications gather into one batch. One (the default) makes the
   *     largest batches; four ran slower in the bench (docs/benchmarks-profile.md)
   */
  public record Notifications(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("1s") @NotNull Duration retry,
      @DefaultValue("1") @Min(1) int concurrency) {}

  /**
   * Device events.
   *
   * @param retention how long a stored event is kept (by when it was received)
   * @param retentionInterval how often expired events are deleted
   * @param retentionBatch most events one delete statement removes
   */
  public record Events(
      @DefaultValue("30d") @NotNull Duration retention,
      @DefaultValue("1m") @NotNull Duration retentionInterval,
      @DefaultValue("5000") @Min(1) int retentionBatch) {}

  /**
   * A per-device token bucket over {@code req} and {@code evt}.
   *
   * @param perSecond messages a device may send per second, sustained
   * @param burst messages it may send at once after a quiet spell
   */
  public record DeviceRate(
      @DefaultValue("20") @Min(1) int perSecond, @DefaultValue("40") @Min(1) int burst) {}

  /** RabbitMQ queue types the core can consume from. */
  public enum QueueType {
    CLASSIC("classic"),
    QUORUM("quorum");

    private final String argument;

    QueueType(String argument) {
      this.argument = argument;
    }

    /** The value of {@code x-queue-type}. */
    public String argument() {
      return argument;
    }
  }

  /**
   * Consumers per core instance.
   *
   * @param concurrency consumers started per queue
   * @param maxConcurrency most consumers per queue under load
   * @param prefetch unacknowledged messages one consumer holds
   * @param batchSize most device messages handled in one database transaction and one wait for the
   *     broker's confirms
   * @param batchWait how long a consumer waits for the next message of a batch before it handles
   *     what it has (it adds at most this to a message's latency when traffic is light; it is also
   *     how often an idle consumer wakes up)
   */
  public record Listener(
      @DefaultValue("4") @Min(1) int concurrency,
      @DefaultValue("16") @Min(1) int maxConcurrency,
      @DefaultValue("20") @Min(1) int prefetch,
      @DefaultValue("64") @Min(1) int batchSize,
      @DefaultValue("2ms") @NotNull Duration batchWait) {}
}
