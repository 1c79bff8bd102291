/**
 * Device events ({@code dev/<SN>/evt}): stored idempotently, answered on {@code eva}, deleted after
 * their retention.
 */
package io.asyncrpc.core.event;
