package io.asyncrpc.ca.device;

import org.jspecify.annotations.Nullable;

/**
 * A revocation.
 *
 * @param reason RFC 5280 reason in snake_case: {@code unspecified} (default), {@code
 *     key_compromise}, {@code affiliation_changed}, {@code superseded}, {@code
 *     cessation_of_operation}, {@code privilege_withdrawn}
 */
record RevocationRequest(@Nullable String reason) {}
