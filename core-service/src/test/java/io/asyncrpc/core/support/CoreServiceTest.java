package io.asyncrpc.core.support;

import io.asyncrpc.protocol.ProtocolJson;
import io.asyncrpc.testsupport.InfrastructureConfiguration;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A core-service test against the real PostgreSQL and RabbitMQ, with short leases and sweeps so
 * lifecycle tests run in seconds. All classes using it share one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "iot.core.lease=2s",
      "iot.core.sweep-interval=200ms",
      "iot.core.max-attempts=2",
      "spring.datasource.hikari.maximum-pool-size=20",
      "iot.gauges.refresh-interval=300ms",
      // PresenceIT writes the devices heard from itself, so no scheduled write races it.
      "iot.core.last-seen-throttle=1h"
    })
@Import({InfrastructureConfiguration.class, CoreServiceTest.Fixtures.class})
public @interface CoreServiceTest {

  /** Beans the tests use. */
  @TestConfiguration(proxyBeanMethods = false)
  class Fixtures {

    @Bean
    TaskFixtures taskFixtures(JdbcClient jdbc, RabbitTemplate rabbit, ProtocolJson json) {
      return new TaskFixtures(jdbc, rabbit, json);
    }
  }
}
