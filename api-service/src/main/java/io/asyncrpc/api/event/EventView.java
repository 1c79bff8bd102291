package io.asyncrpc.api.event;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * An event as clients receive it.
 *
 * @param id its place in the log: give it back as {@code after} (or {@code Last-Event-ID}) to
 *     resume right after it
 * @param type {@code task.finished}, {@code task.progress}, {@code device.event} or {@code
 *     device.presence}
 * @param timestamp when it happened
 * @param data the document of that type
 */
@Schema(name = "Event")
public record EventView(
    @Schema(example = "48211-10442") String id,
    @Schema(example = "task.finished") String type,
    Instant timestamp,
    @Schema(type = "object") Object data) {}
