package io.asyncrpc.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Tests for {@link WebhookProperties}: the defaults, and a lease no longer than an attempt. */
class WebhookPropertiesTests {

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    WebhookProperties properties = bind(Map.of());

    assertThat(properties.allowPrivateTargets()).isFalse();
    assertThat(properties.secretOverlap()).hasHours(24);
    assertThat(properties.retry().maxAttempts()).isEqualTo(8);
    assertThat(properties.retry().initialInterval()).hasSeconds(5);
    assertThat(properties.disableAfterFailures()).isEqualTo(20);
    assertThat(properties.maxEndpointsPerTenant()).isEqualTo(20);
  }

  @Test
  void aLeaseThatCouldEndDuringAnAttemptIsRefused() {
    assertThatThrownBy(
            () ->
                bind(
                    Map.of(
                        "iot.webhooks.lease", "10s",
                        "iot.webhooks.connect-timeout", "5s",
                        "iot.webhooks.request-timeout", "5s")))
        .hasRootCauseMessage(
            "iot.webhooks.lease must be longer than connect-timeout plus request-timeout");
  }

  private static WebhookProperties bind(Map<String, String> settings) {
    return new Binder(new MapConfigurationPropertySource(settings))
        .bindOrCreate("iot.webhooks", WebhookProperties.class);
  }
}
