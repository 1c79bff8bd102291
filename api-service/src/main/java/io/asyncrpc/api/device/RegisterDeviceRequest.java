package io.asyncrpc.api.device;

import io.asyncrpc.api.web.StorableText;
import io.asyncrpc.protocol.DeviceId;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Registers a device.
 *
 * @param id the device id: its certificate CN and MQTT client id
 * @param displayName optional human-readable name
 * @param tags optional tags: at most 32, keys 1 to 63 of {@code A-Z a-z 0-9 _ . -}, values 1 to 128
 *     characters
 */
@Schema(name = "RegisterDevice")
record RegisterDeviceRequest(
    @Schema(
            example = "SN-0001",
            pattern = DeviceId.PATTERN,
            requiredMode = Schema.RequiredMode.REQUIRED)
        @NotNull(message = "is required")
        @Pattern(regexp = DeviceId.PATTERN, message = "must match " + DeviceId.PATTERN)
        String id,
    @Schema(example = "Boiler room relay", maxLength = 200)
        @Size(max = 200, message = "must be at most 200 characters")
        @StorableText
        @Nullable String displayName,
    @Schema(example = "{\"site\": \"berlin-2\", \"ring\": \"canary\"}")
        @Nullable Map<String, String> tags) {}
