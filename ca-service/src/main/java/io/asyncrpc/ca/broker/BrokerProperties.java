package io.asyncrpc.ca.broker;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The RabbitMQ management HTTP API through which device users are made and removed.
 *
 * @param managementUrl base URL of the management API (without {@code /api})
 * @param username an administrator of the broker
 * @param password its password
 * @param vhost the virtual host devices connect to
 * @param timeout connect and read timeout of each call
 */
@ConfigurationProperties("iot.ca.broker")
public record BrokerProperties(
    @DefaultValue("http://127.0.0.1:15673") URI managementUrl,
    String username,
    String password,
    @DefaultValue("/") String vhost,
    @DefaultValue("5s") Duration timeout) {}
