package io.asyncrpc.api.task;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The latest progress a device reported on a task it holds ({@code dev/<SN>/prg}).
 *
 * @param percent 0 to 100, or null when the device gave none
 * @param message the device's words, or null
 * @param at when the core stored the report
 */
@Schema(name = "TaskProgress")
public record TaskProgress(
    @Schema(example = "40", minimum = "0", maximum = "100") @Nullable Integer percent,
    @Schema(example = "flashing block 4 of 10") @Nullable String message,
    Instant at) {}
