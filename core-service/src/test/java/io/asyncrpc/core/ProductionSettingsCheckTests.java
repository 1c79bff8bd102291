package io.asyncrpc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.io.ClassPathResource;
import org.springframework.mock.env.MockEnvironment;

/** Tests for {@link ProductionSettingsCheck}: core-service follows the one policy too. */
class ProductionSettingsCheckTests {

  private final ProductionSettingsCheck check = new ProductionSettingsCheck();

  @Test
  void stopsStartUpOutsideTheLocalProfileNamingTheMissingVariables() {
    MockEnvironment env = new MockEnvironment().withProperty("spring.rabbitmq.host", "broker");
    env.setActiveProfiles("prod");

    assertThatThrownBy(() -> check.postProcessEnvironment(env, new SpringApplication()))
        .hasMessageContaining("SPRING_RABBITMQ_PASSWORD")
        .hasMessageContaining("SPRING_DATASOURCE_URL")
        .hasMessageNotContaining("SPRING_RABBITMQ_HOST");
  }

  @Test
  void leavesTheLocalProfileAlone() {
    MockEnvironment env = new MockEnvironment();
    env.setActiveProfiles("local");

    assertThatCode(() -> check.postProcessEnvironment(env, new SpringApplication()))
        .doesNotThrowAnyException();
  }

  @Test
  void isRegisteredAndTheDevelopmentLoginIsInTheLocalProfileOnly() throws Exception {
    String factories = new ClassPathResource("META-INF/spring.factories").getContentAsString(UTF_8);
    String yaml = new ClassPathResource("application.yml").getContentAsString(UTF_8);
    String beforeLocal = yaml.substring(0, yaml.indexOf("on-profile: local"));

    assertThat(factories).contains(ProductionSettingsCheck.class.getName());
    assertThat(beforeLocal).doesNotContain("password:").doesNotContain("username:");
  }

  private static final java.nio.charset.Charset UTF_8 = java.nio.charset.StandardCharsets.UTF_8;
}
