package io.asyncrpc.api.device;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One event a device published on {@code dev/<SN>/evt}, as stored.
 *
 * @param id the stored event's id (increasing in arrival order)
 * @param eventTypeCode the event's type
 * @param devEventId the device's own id of the event
 * @param devTimestamp when it happened, by the device's clock
 * @param receivedAt when the core stored it
 * @param correlation the event's MQTT correlation data as text, or null
 * @param payload the event's JSON payload as the device sent it (by the seed's convention numbered
 *     tags: 101 id, 102 time, 200 type, 300 parameters), or null
 */
@Schema(name = "DeviceEvent")
public record DeviceEventView(
    long id,
    @Schema(example = "13") long eventTypeCode,
    @Schema(example = "4711") long devEventId,
    Instant devTimestamp,
    Instant receivedAt,
    @Nullable String correlation,
    @Schema(type = "object", example = "{\"101\": 4711, \"200\": 13, \"300\": [{\"cell\": 4}]}")
        @JsonRawValue
        @Nullable String payload) {}
