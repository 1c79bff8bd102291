package io.asyncrpc.api.device;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A device as the API shows it.
 *
 * @param id the device id (certificate CN, MQTT client id)
 * @param displayName a human-readable name
 * @param createdAt when it was registered
 * @param online whether it holds an MQTT connection now
 * @param connectedAt when its current or last connection opened
 * @param lastSeenAt when the core last heard from it
 */
@Schema(name = "Device")
public record DeviceView(
    @Schema(example = "SN-0001") String id,
    @Schema(example = "Boiler room relay") @Nullable String displayName,
    Instant createdAt,
    boolean online,
    @Nullable Instant connectedAt,
    @Nullable Instant lastSeenAt) {}
