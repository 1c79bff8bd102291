package io.asyncrpc.testsupport;

import java.util.Objects;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.test.context.DynamicPropertyRegistrar;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * Import into a {@code @SpringBootTest} to connect it to the real PostgreSQL and RabbitMQ: {@link
 * ServiceConnection} containers when {@code IOTCORE_TEST_INFRA} chose them, the local stack
 * otherwise.
 */
@TestConfiguration(proxyBeanMethods = false)
public class InfrastructureConfiguration {

  @Bean
  @ServiceConnection
  @Conditional(ContainersChosen.class)
  PostgreSQLContainer postgresContainer() {
    // Only when containers are chosen, and then there is one.
    return Objects.requireNonNull(Infrastructure.postgresContainer());
  }

  @Bean
  @ServiceConnection
  @Conditional(ContainersChosen.class)
  RabbitMQContainer rabbitContainer() {
    return Objects.requireNonNull(Infrastructure.rabbitContainer());
  }

  /** The broker user of the services and the MQTT endpoint, for either kind of infrastructure. */
  @Bean
  DynamicPropertyRegistrar infrastructureProperties() {
    return registry -> {
      Endpoints endpoints = Infrastructure.endpoints();
      if (!Infrastructure.usesContainers()) {
        registry.add("spring.datasource.url", endpoints::jdbcUrl);
        registry.add("spring.datasource.username", endpoints::dbUser);
        registry.add("spring.datasource.password", endpoints::dbPassword);
        registry.add("spring.rabbitmq.host", endpoints::amqpHost);
        registry.add("spring.rabbitmq.port", endpoints::amqpPort);
      }
      registry.add("spring.rabbitmq.username", endpoints::amqpUser);
      registry.add("spring.rabbitmq.password", endpoints::amqpPassword);
      registry.add("test.mqtt.host", endpoints::amqpHost);
      registry.add("test.mqtt.port", endpoints::mqttPort);
    };
  }
}
