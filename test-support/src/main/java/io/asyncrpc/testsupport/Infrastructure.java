package io.asyncrpc.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * The real PostgreSQL and RabbitMQ for this test JVM, started once.
 *
 * <p>With a Docker engine, containers are started from the same {@code rabbitmq/} configuration the
 * local stack uses. Without one, the local stack is used; environment variables {@code
 * IOTCORE_TEST_JDBC_URL}, {@code IOTCORE_TEST_AMQP_PORT}, {@code IOTCORE_TEST_MQTT_PORT} and {@code
 * IOTCORE_TEST_MANAGEMENT_PORT} override its defaults.
 */
public final class Infrastructure {

  static final String POSTGRES_IMAGE = "postgres:17-alpine";
  static final String RABBITMQ_IMAGE = "rabbitmq:4.1-management";

  private static Boolean dockerAvailable;
  private static Endpoints endpoints;
  private static PostgreSQLContainer postgres;
  private static RabbitMQContainer rabbit;

  private Infrastructure() {}

  /** Whether a Docker engine answers, so Testcontainers can start containers. */
  public static synchronized boolean dockerAvailable() {
    if (dockerAvailable == null) {
      boolean forcedLocal = "local".equals(System.getenv("IOTCORE_TEST_INFRA"));
      dockerAvailable = !forcedLocal && probeDocker();
    }
    return dockerAvailable;
  }

  /** The endpoints of this run, starting containers on first use where Docker runs. */
  public static synchronized Endpoints endpoints() {
    if (endpoints == null) {
      endpoints = dockerAvailable() ? startContainers() : localStack();
    }
    return endpoints;
  }

  /** The PostgreSQL container, or null when the local stack is used. */
  static synchronized PostgreSQLContainer postgresContainer() {
    endpoints();
    return postgres;
  }

  /** The RabbitMQ container, or null when the local stack is used. */
  static synchronized RabbitMQContainer rabbitContainer() {
    endpoints();
    return rabbit;
  }

  private static boolean probeDocker() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static Endpoints localStack() {
    return new Endpoints(
        env("IOTCORE_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/iotcore_test"),
        "iotcore",
        "iotcore",
        "127.0.0.1",
        Integer.parseInt(env("IOTCORE_TEST_AMQP_PORT", "5673")),
        "iotcore",
        "iotcore",
        Integer.parseInt(env("IOTCORE_TEST_MQTT_PORT", "1884")),
        "device",
        "device",
        Integer.parseInt(env("IOTCORE_TEST_MANAGEMENT_PORT", "15673")),
        Integer.parseInt(env("IOTCORE_TEST_MQTT_TLS_PORT", "8884")));
  }

  private static Endpoints startContainers() {
    postgres =
        new PostgreSQLContainer(POSTGRES_IMAGE)
            .withDatabaseName("iotcore_test")
            .withUsername("iotcore")
            .withPassword("iotcore");
    Path config = RepositoryFiles.find("rabbitmq");
    rabbit =
        new RabbitMQContainer(RABBITMQ_IMAGE)
            .withCopyToContainer(
                Transferable.of(containerConfig(config.resolve("rabbitmq.conf"))),
                "/etc/rabbitmq/rabbitmq.conf")
            .withCopyToContainer(
                Transferable.of(read(config.resolve("enabled_plugins"))),
                "/etc/rabbitmq/enabled_plugins")
            .withCopyToContainer(
                Transferable.of(read(config.resolve("definitions.json"))),
                "/etc/rabbitmq/definitions.json")
            .withExposedPorts(5672, 1883, 8883, 15672);
    postgres.start();
    rabbit.start();
    return new Endpoints(
        postgres.getJdbcUrl(),
        postgres.getUsername(),
        postgres.getPassword(),
        rabbit.getHost(),
        rabbit.getAmqpPort(),
        "iotcore",
        "iotcore",
        rabbit.getMappedPort(1883),
        "device",
        "device",
        rabbit.getHttpPort(),
        rabbit.getMappedPort(8883));
  }

  /** The local stack's configuration with the broker's standard ports, as inside a container. */
  private static String containerConfig(Path file) {
    return read(file)
        .replace("5673", "5672")
        .replace("1884", "1883")
        .replace("15673", "15672")
        .replace("8884", "8883")
        .replaceAll(
            "(?m)^load_definitions\\s*=.*$", "load_definitions = /etc/rabbitmq/definitions.json")
        .replaceAll("(?m)^log\\.file.*$", "")
        .replaceAll("(?m)^log\\.dir.*$", "");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
