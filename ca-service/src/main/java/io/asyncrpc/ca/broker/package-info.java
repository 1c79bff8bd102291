/**
 * A device's broker identity: its passwordless RabbitMQ user (certificate login, CN = user name)
 * with permissions confined to its own topics, made and removed through the management HTTP API.
 */
@NullMarked
package io.asyncrpc.ca.broker;

import org.jspecify.annotations.NullMarked;
