package io.asyncrpc.core.presence;

import io.asyncrpc.core.CoreProperties;
import io.asyncrpc.core.task.TaskLifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Keeps the presence columns of the device registry, and ends the waiting online-only tasks of a
 * device that disconnects.
 */
@Service
public class DevicePresence {

  private static final Logger log = LoggerFactory.getLogger(DevicePresence.class);

  private final PresenceRepository devices;
  private final TaskLifecycle lifecycle;
  private final Duration throttle;
  private final MeterRegistry meters;

  // Only a throttle, never the truth: when this instance last wrote last_seen_at of a registered
  // device. Bounded by the number of registered devices.
  private final Map<String, Instant> lastWritten = new ConcurrentHashMap<>();

  DevicePresence(
      PresenceRepository devices,
      TaskLifecycle lifecycle,
      CoreProperties properties,
      MeterRegistry meters) {
    this.devices = devices;
    this.lifecycle = lifecycle;
    this.throttle = properties.lastSeenThrottle();
    this.meters = meters;
  }

  /**
   * Records that a message came from {@code device}, at most once per throttle period.
   *
   * @return whether the device is registered
   */
  public boolean seen(String device) {
    Instant now = Instant.now();
    Instant last = lastWritten.get(device);
    if (last != null && last.plus(throttle).isAfter(now)) {
      return true;
    }
    if (devices.seen(device)) {
      lastWritten.put(device, now);
      return true;
    }
    lastWritten.remove(device);
    return false;
  }

  void apply(ConnectionEvent event) {
    meters
        .counter("iot.device.connections", "event", event.opened() ? "opened" : "closed")
        .increment();
    boolean changed =
        event.opened()
            ? devices.connected(
                event.deviceId(), Objects.requireNonNullElse(event.connectedAt(), event.at()))
            : devices.disconnected(event.deviceId(), event.connectedAt(), event.at());
    log.debug(
        "Device {} {}{}",
        event.deviceId(),
        event.opened() ? "connected" : "disconnected",
        changed ? "" : " (unregistered, or a newer connection is recorded)");
    if (changed && !event.opened()) {
      // A transaction of its own after the registry's: if it fails, the event is handled again
      // (the statement is idempotent), and the sweep ends what a lost event left waiting.
      int ended = lifecycle.deviceOffline(event.deviceId());
      if (ended > 0) {
        log.debug("Device {} offline: {} online-only tasks unreachable", event.deviceId(), ended);
      }
    }
  }
}
