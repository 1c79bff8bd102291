package io.asyncrpc.api.webhook;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The webhook feature's plain objects, built from its settings. */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

  @Bean
  TargetPolicy webhookTargetPolicy(WebhookProperties properties) {
    return new TargetPolicy(properties.allowPrivateTargets());
  }

  @Bean
  RetrySchedule webhookRetrySchedule(WebhookProperties properties) {
    return new RetrySchedule(properties.retry());
  }
}
