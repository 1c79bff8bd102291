package io.asyncrpc.api.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The webhook feature's plain objects, built from its settings. */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

  private static final Logger log = LoggerFactory.getLogger(WebhookConfiguration.class);

  @Bean
  TargetPolicy webhookTargetPolicy(WebhookProperties properties) {
    if (properties.allowPrivateTargets()) {
      log.warn(
          "iot.webhooks.allow-private-targets is true: webhooks may post to loopback, private and"
              + " link-local addresses (development only)");
    }
    return new TargetPolicy(properties.allowPrivateTargets());
  }

  @Bean
  RetrySchedule webhookRetrySchedule(WebhookProperties properties) {
    return new RetrySchedule(properties.retry());
  }
}
