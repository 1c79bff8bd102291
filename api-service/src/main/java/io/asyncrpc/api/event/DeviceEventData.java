package io.asyncrpc.api.event;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The data of a {@code device.event} event: the stored event as {@code GET
 * /api/v1/devices/{id}/events} shows it, with its device.
 *
 * @param deviceId the device that published it
 * @param id the stored event's id
 * @param eventTypeCode the event's type
 * @param devEventId the device's own id of the event
 * @param devTimestamp when it happened, by the device's clock
 * @param receivedAt when the core stored it
 * @param correlation the MQTT correlation data as text, or null
 * @param payload the JSON payload as the device sent it, or null
 */
public record DeviceEventData(
    String deviceId,
    long id,
    long eventTypeCode,
    long devEventId,
    Instant devTimestamp,
    Instant receivedAt,
    @Nullable String correlation,
    @JsonRawValue @Nullable String payload) {}
