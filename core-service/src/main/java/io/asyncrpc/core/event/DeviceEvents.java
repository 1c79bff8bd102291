package io.asyncrpc.core.event;

import io.asyncrpc.protocol.DeviceEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/** Stores the events devices publish, once each. */
@Service
public class DeviceEvents {

  private final EventRepository events;
  private final MeterRegistry meters;

  DeviceEvents(EventRepository events, MeterRegistry meters) {
    this.events = events;
    this.meters = meters;
  }

  /**
   * Stores an event of {@code device}; a repeat (same {@code dev_event_id} and {@code
   * dev_timestamp}) is not stored twice.
   *
   * @param correlation the event's correlation data as text, or null
   * @param payloadJson its JSON payload, or null for none
   * @return whether it was new
   */
  public boolean store(
      String device,
      DeviceEvent event,
      @Nullable String correlation,
      @Nullable String payloadJson) {
    boolean stored = events.store(device, event, correlation, payloadJson);
    meters.counter("iot.device.events", "outcome", stored ? "stored" : "duplicate").increment();
    return stored;
  }
}
