/**
 * The device agent's public API: build a {@link io.asyncrpc.agent.DeviceAgent}, give it a {@link
 * io.asyncrpc.agent.TaskHandler} per method code, start it, publish the device's events; everything
 * else is internal.
 */
@NullMarked
package io.asyncrpc.agent;

import org.jspecify.annotations.NullMarked;
