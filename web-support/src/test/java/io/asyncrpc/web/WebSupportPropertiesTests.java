package io.asyncrpc.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Tests for {@link WebSupportProperties}. */
class WebSupportPropertiesTests {

  @Test
  void defaultsAreSafeForLocalUse() {
    WebSupportProperties properties = bind(Map.of());

    assertThat(properties.retryAfter()).isEqualTo(Duration.ofSeconds(5));
    assertThat(properties.retryAfterHeader()).isEqualTo("5");
    assertThat(properties.notFoundHint()).isEmpty();
    assertThat(properties.openapi().title()).isEqualTo("IoT Async-RPC Core");
    assertThat(properties.openapi().version()).isEqualTo("v1");
    assertThat(properties.openapi().description()).isEmpty();
    assertThat(properties.openapi().bearerDescription()).isEmpty();
  }

  @Test
  void retryAfterIsWholeSecondsAndAtLeastOne() {
    assertThat(bind(Map.of("iot.web.retry-after", "2500ms")).retryAfterHeader()).isEqualTo("2");
    assertThat(bind(Map.of("iot.web.retry-after", "0s")).retryAfterHeader()).isEqualTo("1");
    assertThat(bind(Map.of("iot.web.retry-after", "1m")).retryAfterHeader()).isEqualTo("60");
  }

  @Test
  void aNegativeRetryAfterFailsAtStartUp() {
    assertThatThrownBy(() -> bind(Map.of("iot.web.retry-after", "-1s")))
        .isInstanceOf(BindException.class)
        .rootCause()
        .hasMessageContaining("iot.web.retry-after");
  }

  private static WebSupportProperties bind(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values))
        .bindOrCreate("iot.web", WebSupportProperties.class);
  }
}
