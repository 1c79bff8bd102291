package io.asyncrpc.web.settings;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The one production-settings policy of every service: outside the {@code local} profile, start-up
 * stops before any connection is attempted when a required setting is missing, with a message that
 * names the environment variables to set. Development defaults live in the {@code local} profile
 * only (the default profile when none is chosen); committed configuration holds no other
 * credentials.
 *
 * <p>Each service registers a subclass naming its required settings in {@code
 * META-INF/spring.factories}.
 */
public abstract class RequiredSettingsCheck implements EnvironmentPostProcessor {

  /** The profile whose development defaults make every check unnecessary. */
  public static final String LOCAL_PROFILE = "local";

  /** The database connection every service needs. */
  public static final List<String> DATABASE =
      List.of("spring.datasource.url", "spring.datasource.username", "spring.datasource.password");

  /** The broker connection of the services that speak AMQP. */
  public static final List<String> BROKER =
      List.of("spring.rabbitmq.host", "spring.rabbitmq.username", "spring.rabbitmq.password");

  private final List<String> required;
  private final Map<String, String> environmentNames;

  /**
   * @param required the properties that must be set outside the local profile
   * @param environmentNames environment variable names the project documents for some of them; the
   *     others are named by Spring's relaxed binding ({@code a.b-c} is {@code A_B_C})
   */
  protected RequiredSettingsCheck(List<String> required, Map<String, String> environmentNames) {
    this.required = List.copyOf(new java.util.LinkedHashSet<>(required));
    this.environmentNames = Map.copyOf(environmentNames);
  }

  /** {@link #DATABASE} and {@link #BROKER}, what api-service and core-service need. */
  public static List<String> databaseAndBroker() {
    return java.util.stream.Stream.concat(DATABASE.stream(), BROKER.stream()).toList();
  }

  /** The properties that must be set outside the local profile. */
  public List<String> required() {
    return required;
  }

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (environment.matchesProfiles(LOCAL_PROFILE)) {
      return;
    }
    List<String> missing =
        required.stream().filter(name -> isBlank(environment.getProperty(name))).toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "profiles "
              + List.of(environment.getActiveProfiles())
              + " require "
              + String.join(", ", missing)
              + " (environment variables "
              + String.join(", ", missing.stream().map(this::environmentName).toList())
              + ")");
    }
  }

  /** The environment variable the project documents for {@code property}. */
  public String environmentName(String property) {
    return environmentNames.getOrDefault(
        property, property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
  }

  private static boolean isBlank(@Nullable String value) {
    return value == null || value.isBlank();
  }
}
