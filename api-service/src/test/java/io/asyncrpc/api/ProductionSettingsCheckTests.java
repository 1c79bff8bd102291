package io.asyncrpc.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** Tests for {@link ProductionSettingsCheck}. */
class ProductionSettingsCheckTests {

  private final ProductionSettingsCheck check = new ProductionSettingsCheck();

  @Test
  void stopsProdStartUpNamingTheMissingVariables() {
    MockEnvironment env = new MockEnvironment().withProperty("spring.datasource.url", "jdbc:x");
    env.setActiveProfiles("prod");

    assertThatThrownBy(() -> check.postProcessEnvironment(env, new SpringApplication()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SPRING_DATASOURCE_PASSWORD")
        .hasMessageContaining("SPRING_RABBITMQ_PASSWORD")
        .hasMessageNotContaining("SPRING_DATASOURCE_URL");
  }

  @Test
  void acceptsProdWithEverySetting() {
    MockEnvironment env = new MockEnvironment();
    ProductionSettingsCheck.REQUIRED.forEach(name -> env.setProperty(name, "set"));
    env.setActiveProfiles("prod");

    assertThatCode(() -> check.postProcessEnvironment(env, new SpringApplication()))
        .doesNotThrowAnyException();
  }

  @Test
  void checksEveryProfileButLocal() {
    MockEnvironment env = new MockEnvironment();
    env.setActiveProfiles("staging");

    assertThatThrownBy(() -> check.postProcessEnvironment(env, new SpringApplication()))
        .hasMessageContaining("SPRING_RABBITMQ_HOST");
  }

  @Test
  void leavesTheLocalProfileAlone() {
    MockEnvironment env = new MockEnvironment();
    env.setActiveProfiles("local");

    assertThatCode(() -> check.postProcessEnvironment(env, new SpringApplication()))
        .doesNotThrowAnyException();
  }
}
