/**
 * A device's broker identity: its passwordless RabbitMQ user (certificate login, CN = user name)
 * with permissions confined to its own topics, made and removed through the management HTTP API.
 */
package io.asyncrpc.ca.broker;
