package io.asyncrpc.ca;

import java.util.List;
import java.util.Locale;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Stops start-up outside the {@code local} profile when a required setting is missing, before any
 * connection is attempted, naming the variable to set. Development defaults (database, broker
 * management login, PKI directory) exist in the {@code local} profile only, and no profile has a
 * default bootstrap client secret.
 */
class ProductionSettingsCheck implements EnvironmentPostProcessor {

  static final List<String> REQUIRED =
      List.of(
          "spring.datasource.url",
          "spring.datasource.username",
          "spring.datasource.password",
          "iot.ca.pki-dir",
          "iot.ca.broker.username",
          "iot.ca.broker.password",
          "iot.ca.bootstrap-client.id",
          "iot.ca.bootstrap-client.secret");

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (environment.matchesProfiles("local")) {
      return;
    }
    List<String> missing =
        REQUIRED.stream().filter(name -> isBlank(environment.getProperty(name))).toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "profiles "
              + List.of(environment.getActiveProfiles())
              + " require "
              + String.join(", ", missing)
              + " (environment variables "
              + String.join(", ", missing.stream().map(ProductionSettingsCheck::envName).toList())
              + ")");
    }
  }

  /** The environment variable the project documents for a property. */
  static String envName(String property) {
    return switch (property) {
      case "iot.ca.pki-dir" -> "IOTCORE_PKI_DIR";
      case "iot.ca.bootstrap-client.id" -> "IOTCORE_BOOTSTRAP_CLIENT_ID";
      case "iot.ca.bootstrap-client.secret" -> "IOTCORE_BOOTSTRAP_CLIENT_SECRET";
      default -> property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    };
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
