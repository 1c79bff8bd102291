/**
 * MQTT security tests against the real broker: certificate checks of the TLS listener, client id
 * binding, topic isolation between devices and the AMQP side of device identities.
 */
package io.asyncrpc.systemtests.security;
