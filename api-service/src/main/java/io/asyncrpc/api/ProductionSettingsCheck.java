package io.asyncrpc.api;

import java.util.List;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Stops start-up in the {@code prod} profile when a required production setting is missing, before
 * any connection is attempted, with a message that names the variable to set. (The development
 * defaults live in the {@code local} profile only.)
 */
class ProductionSettingsCheck implements EnvironmentPostProcessor {

  static final List<String> REQUIRED =
      List.of(
          "spring.datasource.url",
          "spring.datasource.username",
          "spring.datasource.password",
          "spring.rabbitmq.host",
          "spring.rabbitmq.username",
          "spring.rabbitmq.password");

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (!environment.matchesProfiles("prod")) {
      return;
    }
    List<String> missing =
        REQUIRED.stream().filter(name -> isBlank(environment.getProperty(name))).toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "profile 'prod' requires "
              + String.join(", ", missing)
              + " (environment variables "
              + String.join(
                  ", ",
                  missing.stream()
                      .map(n -> n.toUpperCase(java.util.Locale.ROOT).replace('.', '_'))
                      .toList())
              + ")");
    }
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
