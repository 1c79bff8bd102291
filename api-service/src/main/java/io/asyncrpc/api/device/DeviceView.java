package io.asyncrpc.api.device;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A device as the API shows it.
 *
 * @param id the device id (certificate CN, MQTT client id)
 * @param displayName a human-readable name
 * @param tags the device's tags (key/value), by key; empty when it has none
 * @param createdAt when it was registered
 * @param online whether it holds an MQTT connection now
 * @param connectedAt when its current or last connection opened
 * @param lastSeenAt when the core last heard from it
 * @param protocolVersion the device protocol it speaks: 1 (the default, the seed's protocol) or 2
 *     (push), as the device itself declared it on its last request
 * @param protocolDeclaredAt when the device last changed its protocol version, or null if it never
 *     declared one
 */
@Schema(name = "Device")
public record DeviceView(
    @Schema(example = "SN-0001") String id,
    @Schema(example = "Boiler room relay") @Nullable String displayName,
    @Schema(example = "{\"site\": \"berlin-2\", \"ring\": \"canary\"}") Map<String, String> tags,
    Instant createdAt,
    boolean online,
    @Nullable Instant connectedAt,
    @Nullable Instant lastSeenAt,
    @Schema(
            example = "1",
            allowableValues = {"1", "2"},
            description =
                "Device protocol: 1 (trigger and request) or 2 (push); the device declares it")
        int protocolVersion,
    @Nullable Instant protocolDeclaredAt) {}
