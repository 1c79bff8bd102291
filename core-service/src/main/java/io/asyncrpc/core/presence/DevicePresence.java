package io.asyncrpc.core.presence;

import io.asyncrpc.core.task.TaskLifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
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
  private final LastSeenWriter lastSeen;
  private final MeterRegistry meters;

  DevicePresence(
      PresenceRepository devices,
      TaskLifecycle lifecycle,
      LastSeenWriter lastSeen,
      MeterRegistry meters) {
    this.devices = devices;
    this.lifecycle = lifecycle;
    this.lastSeen = lastSeen;
    this.meters = meters;
  }

  /**
   * Records that a message came from {@code device} ({@code last_seen_at} is written behind, at
   * most once per {@code iot.core.last-seen-throttle}).
   *
   * @return whether the device is registered
   */
  public boolean seen(String device) {
    return lastSeen.seen(device);
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
