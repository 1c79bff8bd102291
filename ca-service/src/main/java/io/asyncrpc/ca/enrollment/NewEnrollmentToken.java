package io.asyncrpc.ca.enrollment;

import java.time.Instant;

/**
 * An enrollment token, shown once.
 *
 * @param token the token to give the device (base64url); only its hash is stored
 * @param deviceId the device it enrolls
 * @param expiresAt after this it is refused
 */
record NewEnrollmentToken(String token, String deviceId, Instant expiresAt) {}
