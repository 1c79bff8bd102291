package io.asyncrpc.api.outbox;

import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Declares the exchange the outbox publishes to. */
@Configuration(proxyBeanMethods = false)
class OutboxConfiguration {

  /** Idempotent: matches the broker definitions, and makes any empty broker usable. */
  @Bean
  Declarables outboxExchange(OutboxProperties properties) {
    return new Declarables(new TopicExchange(properties.exchange(), true, false));
  }
}
