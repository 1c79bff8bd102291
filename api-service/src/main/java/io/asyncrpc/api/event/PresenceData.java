package io.asyncrpc.api.event;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The data of a {@code device.presence} event: the device's presence right after the change.
 *
 * @param deviceId the device
 * @param online whether it is connected now
 * @param connectedAt when its current (or last) connection began
 * @param lastSeenAt when it was last heard from
 */
public record PresenceData(
    String deviceId, boolean online, @Nullable Instant connectedAt, @Nullable Instant lastSeenAt) {}
