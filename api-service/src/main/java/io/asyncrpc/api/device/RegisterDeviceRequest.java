package io.asyncrpc.api.device;

import io.asyncrpc.api.web.StorableText;
import io.asyncrpc.protocol.DeviceId;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * Registers a device.
 *
 * @param id the device id: its certificate CN and MQTT client id
 * @param displayName optional human-readable name
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
        @Nullable String displayName) {}
