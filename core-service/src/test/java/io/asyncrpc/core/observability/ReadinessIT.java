package io.asyncrpc.core.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.testsupport.ActuatorClient;
import io.asyncrpc.testsupport.ActuatorClient.Answer;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import io.asyncrpc.testsupport.TcpProxy;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Verifies that readiness follows PostgreSQL and RabbitMQ for real: this instance reaches both
 * through TCP proxies that the test cuts, so it loses them the way it would lose a crashed server,
 * while the shared servers keep running for everyone else. Liveness must not follow them (a restart
 * cannot fix an outage elsewhere).
 *
 * <p>Its own context, closed after the class; its listeners never start, so it takes no messages
 * from the other tests' instance.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.rabbitmq.listener.simple.auto-startup=false",
      "iot.core.presence-enabled=false",
      "iot.core.notifications.enabled=false",
      "iot.core.sweep-interval=1h",
      "spring.datasource.hikari.connection-timeout=1000",
      "spring.rabbitmq.connection-timeout=1s",
      "iot.gauges.refresh-interval=200ms"
    })
@DirtiesContext
class ReadinessIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static TcpProxy database;
  private static TcpProxy broker;

  @LocalServerPort int port;

  private ActuatorClient actuator;

  @DynamicPropertySource
  static void throughProxies(DynamicPropertyRegistry registry) {
    Endpoints endpoints = Infrastructure.endpoints();
    URI jdbc = URI.create(endpoints.jdbcUrl().substring("jdbc:".length()));
    database = TcpProxy.to(jdbc.getHost(), jdbc.getPort());
    broker = TcpProxy.to(endpoints.amqpHost(), endpoints.amqpPort());
    String proxied =
        "jdbc:postgresql://127.0.0.1:"
            + database.port()
            + jdbc.getRawPath()
            + (jdbc.getRawQuery() == null ? "" : "?" + jdbc.getRawQuery());
    registry.add("spring.datasource.url", () -> proxied);
    registry.add("spring.datasource.username", endpoints::dbUser);
    registry.add("spring.datasource.password", endpoints::dbPassword);
    registry.add("spring.rabbitmq.host", () -> "127.0.0.1");
    registry.add("spring.rabbitmq.port", broker::port);
    registry.add("spring.rabbitmq.username", endpoints::amqpUser);
    registry.add("spring.rabbitmq.password", endpoints::amqpPassword);
  }

  @AfterAll
  static void closeProxies() {
    database.close();
    broker.close();
  }

  @BeforeEach
  void client() {
    actuator = new ActuatorClient("http://127.0.0.1:" + port);
  }

  @Test
  void readinessAndTheBacklogGaugesFollowTheDatabase() {
    assertReady();

    database.cut();
    try {
      awaitNotReadyBecauseOf("db");
      assertLive();
      // No stale backlog that looks healthy while it cannot be counted.
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(actuator.sample("iot_task_queue_depth", Map.of("status", "QUEUED")))
                      .isNaN());
    } finally {
      database.restore();
    }

    assertReady();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(actuator.sample("iot_task_queue_depth", Map.of("status", "QUEUED")))
                    .isNotNaN());
  }

  @Test
  void readinessGoesDownWithTheBrokerAndComesBackWithIt() {
    assertReady();

    broker.cut();
    try {
      awaitNotReadyBecauseOf("rabbit");
      assertLive();
    } finally {
      broker.restore();
    }

    assertReady();
  }

  private void assertReady() {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Answer readiness = actuator.get("health/readiness");
              assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
            });
  }

  private void awaitNotReadyBecauseOf(String component) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Answer readiness = actuator.get("health/readiness");
              assertThat(readiness.status()).isEqualTo(503);
              assertThat(readiness.body()).contains("\"" + component + "\":{\"status\":\"DOWN\"");
            });
  }

  private void assertLive() {
    Answer liveness = actuator.get("health/liveness");
    assertThat(liveness.status()).isEqualTo(200);
    assertThat(liveness.body()).contains("\"status\":\"UP\"");
  }
}
