package io.asyncrpc.ca;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** Tests for {@link ProductionSettingsCheck}: no secret defaults outside the local profile. */
class ProductionSettingsCheckTests {

  private final ProductionSettingsCheck check = new ProductionSettingsCheck();

  @Test
  void theLocalProfileNeedsNothing() {
    MockEnvironment environment = new MockEnvironment();
    environment.setActiveProfiles("local");

    assertThatCode(() -> check.postProcessEnvironment(environment, new SpringApplication()))
        .doesNotThrowAnyException();
  }

  @Test
  void anotherProfileWithoutTheBootstrapSecretFailsNamingTheVariable() {
    MockEnvironment environment = new MockEnvironment();
    environment.setActiveProfiles("prod");
    ProductionSettingsCheck.REQUIRED.forEach(name -> environment.setProperty(name, "x"));
    environment.setProperty("iot.ca.bootstrap-client.secret", "");

    assertThatThrownBy(() -> check.postProcessEnvironment(environment, new SpringApplication()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("IOTCORE_BOOTSTRAP_CLIENT_SECRET")
        .hasMessageNotContaining("IOTCORE_PKI_DIR");
  }

  @Test
  void anotherProfileWithEverythingStarts() {
    MockEnvironment environment = new MockEnvironment();
    environment.setActiveProfiles("prod");
    ProductionSettingsCheck.REQUIRED.forEach(name -> environment.setProperty(name, "x"));

    assertThatCode(() -> check.postProcessEnvironment(environment, new SpringApplication()))
        .doesNotThrowAnyException();
  }
}
