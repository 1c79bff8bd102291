package io.asyncrpc.testsupport;

import java.util.List;

/**
 * Where the real services of a test run are.
 *
 * @param jdbcUrl PostgreSQL JDBC URL
 * @param dbUser PostgreSQL user
 * @param dbPassword PostgreSQL password
 * @param amqpHost RabbitMQ host
 * @param amqpPort RabbitMQ AMQP port
 * @param amqpUser RabbitMQ user of the services
 * @param amqpPassword its password
 * @param mqttPort RabbitMQ MQTT 5 listener port, on {@code amqpHost}
 * @param deviceUser the development MQTT login shared by test devices
 * @param devicePassword its password
 * @param managementPort RabbitMQ management HTTP port
 * @param mqttTlsPort RabbitMQ MQTT 5 over TLS port (X.509 certificate login), on {@code amqpHost}
 */
public record Endpoints(
    String jdbcUrl,
    String dbUser,
    String dbPassword,
    String amqpHost,
    int amqpPort,
    String amqpUser,
    String amqpPassword,
    int mqttPort,
    String deviceUser,
    String devicePassword,
    int managementPort,
    int mqttTlsPort) {

  /** The arguments that point a Spring Boot service (packaged or in-process) at these endpoints. */
  public List<String> springArgs() {
    return springArgs(jdbcUrl, dbUser, dbPassword, amqpHost, amqpPort, amqpUser, amqpPassword);
  }

  /**
   * The arguments that point a Spring Boot service at a database and a broker: the one place they
   * are spelled, for suites that run their own PostgreSQL and RabbitMQ.
   */
  public static List<String> springArgs(
      String jdbcUrl,
      String dbUser,
      String dbPassword,
      String amqpHost,
      int amqpPort,
      String amqpUser,
      String amqpPassword) {
    return List.of(
        "--spring.datasource.url=" + jdbcUrl,
        "--spring.datasource.username=" + dbUser,
        "--spring.datasource.password=" + dbPassword,
        "--spring.rabbitmq.host=" + amqpHost,
        "--spring.rabbitmq.port=" + amqpPort,
        "--spring.rabbitmq.username=" + amqpUser,
        "--spring.rabbitmq.password=" + amqpPassword);
  }
}
