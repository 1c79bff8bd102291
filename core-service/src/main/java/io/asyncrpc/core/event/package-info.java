/**
 * Device events ({@code dev/<SN>/evt}): stored idempotently, answered on {@code eva}, deleted after
 * their retention.
 */
@NullMarked
package io.asyncrpc.core.event;

import org.jspecify.annotations.NullMarked;
