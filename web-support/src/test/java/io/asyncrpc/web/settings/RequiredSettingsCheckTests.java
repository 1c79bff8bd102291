package io.asyncrpc.web.settings;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** Tests for {@link RequiredSettingsCheck}. */
class RequiredSettingsCheckTests {

  private final RequiredSettingsCheck check =
      new RequiredSettingsCheck(
          List.of("spring.datasource.password", "iot.x.pki-dir", "spring.rabbitmq.password"),
          Map.of("iot.x.pki-dir", "IOTCORE_PKI_DIR")) {};

  @Test
  void stopsStartUpOutsideTheLocalProfileNamingTheMissingVariables() {
    MockEnvironment env = new MockEnvironment().withProperty("spring.rabbitmq.password", "set");
    env.setActiveProfiles("prod");

    assertThatThrownBy(() -> check.postProcessEnvironment(env, new SpringApplication()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SPRING_DATASOURCE_PASSWORD")
        .hasMessageContaining("IOTCORE_PKI_DIR")
        .hasMessageNotContaining("SPRING_RABBITMQ_PASSWORD");
  }

  @Test
  void anyProfileButLocalIsChecked() {
    MockEnvironment env = new MockEnvironment();
    env.setActiveProfiles("staging");

    assertThatThrownBy(() -> check.postProcessEnvironment(env, new SpringApplication()))
        .hasMessageContaining("[staging]");
  }

  @Test
  void acceptsEverySettingAndLeavesTheLocalProfileAlone() {
    MockEnvironment complete = new MockEnvironment();
    check.required().forEach(name -> complete.setProperty(name, "set"));
    complete.setActiveProfiles("prod");
    MockEnvironment local = new MockEnvironment();
    local.setActiveProfiles("local");

    assertThatCode(() -> check.postProcessEnvironment(complete, new SpringApplication()))
        .doesNotThrowAnyException();
    assertThatCode(() -> check.postProcessEnvironment(local, new SpringApplication()))
        .doesNotThrowAnyException();
  }
}
