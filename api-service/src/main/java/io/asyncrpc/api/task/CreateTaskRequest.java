package io.asyncrpc.api.task;

import io.asyncrpc.api.web.StorableText;
import io.asyncrpc.protocol.DeviceId;
import io.asyncrpc.protocol.ProtocolLimits;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/v1/tasks}.
 *
 * @param deviceId the registered device that is to run it
 * @param methodCode what the device is asked to do
 * @param priority 0..9, default 0; higher runs first
 * @param ttl seconds until the deadline, 1..604800, default 3600
 * @param payload any JSON value, default {@code {}}; at most 64 KiB serialized
 * @param externalId the caller's own reference, at most 128 characters
 * @param onlineOnly default false; true: delivered only while the device is online, never kept
 *     waiting for it (the seed's trigger-only mode)
 */
@Schema(name = "CreateTask")
record CreateTaskRequest(
    @Schema(
            example = "SN-0001",
            pattern = DeviceId.PATTERN,
            requiredMode = Schema.RequiredMode.REQUIRED)
        @NotNull(message = "is required")
        @Pattern(regexp = DeviceId.PATTERN, message = "must match " + DeviceId.PATTERN)
        String deviceId,
    @Schema(
            example = "relay.switch",
            pattern = ProtocolLimits.METHOD_CODE_PATTERN,
            requiredMode = Schema.RequiredMode.REQUIRED)
        @NotNull(message = "is required")
        @Pattern(
            regexp = ProtocolLimits.METHOD_CODE_PATTERN,
            message = "must match " + ProtocolLimits.METHOD_CODE_PATTERN)
        String methodCode,
    @Schema(example = "5", minimum = "0", maximum = "9", defaultValue = "0")
        @Min(value = 0, message = "must be between 0 and 9")
        @Max(value = 9, message = "must be between 0 and 9")
        @Nullable Integer priority,
    @Schema(example = "3600", minimum = "1", maximum = "604800", defaultValue = "3600")
        @Min(value = MIN_TTL, message = "must be between 1 and 604800 seconds")
        @Max(value = MAX_TTL, message = "must be between 1 and 604800 seconds")
        @Nullable Long ttl,
    @Schema(
            type = "object",
            example = "{\"channel\":1,\"on\":true}",
            description = "any JSON value; at most 65536 bytes serialized; default {}")
        @Nullable JsonNode payload,
    @Schema(example = "order-42", maxLength = ProtocolLimits.MAX_EXTERNAL_ID_LENGTH)
        @Size(
            min = 1,
            max = ProtocolLimits.MAX_EXTERNAL_ID_LENGTH,
            message = "must be 1 to 128 characters")
        @StorableText
        @Nullable String externalId,
    @Schema(
            example = "false",
            defaultValue = "false",
            description =
                """
                true: the task is delivered only while its device is online and never waits \
                for an offline device. If the device is offline when the task is created, the \
                task is created finished, as UNREACHABLE, and the answer is 200 with that task \
                instead of 202. A waiting task becomes UNREACHABLE when its device disconnects, \
                and so does one whose lease passes or whose push comes back while the device is \
                offline, instead of being queued again. Online means what the device registry \
                shows (online in GET /api/v1/devices/{id}).""")
        @Nullable Boolean onlineOnly) {

  static final int DEFAULT_PRIORITY = 0;
  static final long DEFAULT_TTL = 3600;
  static final long MIN_TTL = 1;
  static final long MAX_TTL = 604_800;
}
