package io.asyncrpc.core.task;

import io.asyncrpc.protocol.ProtocolError;

/**
 * Why the core did not use a device's message; nothing changed.
 *
 * @param error the typed error answered on {@code srv/<SN>/err}
 * @param message a human-readable explanation
 */
public record Refusal(ProtocolError error, String message) {}
