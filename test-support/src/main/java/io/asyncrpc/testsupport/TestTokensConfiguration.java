package io.asyncrpc.testsupport;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * Import into a {@code @SpringBootTest} of a JWT resource server so it trusts {@link
 * TestTokens#shared()}: points {@code iot.security.jwk-set-uri} at the test JWKS.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestTokensConfiguration {

  @Bean
  DynamicPropertyRegistrar testTokenProperties() {
    return registry ->
        registry.add("iot.security.jwk-set-uri", () -> TestTokens.shared().jwkSetUri());
  }
}
