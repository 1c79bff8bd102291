package io.asyncrpc.testsupport;

import java.util.List;
import java.util.Locale;

/**
 * Which infrastructure the tests of this JVM use, and why: the setting {@code IOTCORE_TEST_INFRA}
 * ({@value #SETTING}), or the choice made when it is unset.
 *
 * <p>{@code local} is the local stack ({@code scripts/stack}); {@code containers} is
 * Testcontainers. Unset, containers are used only when a Docker engine answers and every image they
 * need is already present in it: an engine that runs is not proof that images can be pulled, and a
 * test run must not switch to an infrastructure that cannot start.
 *
 * @param containers whether Testcontainers starts PostgreSQL and RabbitMQ
 * @param reason one sentence for the test log saying what was chosen and why
 */
record InfrastructureChoice(boolean containers, String reason) {

  static final String SETTING = "IOTCORE_TEST_INFRA";

  /** What the choice asks of the Docker engine; only consulted when the setting is unset. */
  interface Engine {

    /** Whether a Docker engine answers. */
    boolean answers();

    /** Those of {@code images} the engine does not have locally. */
    List<String> missing(List<String> images);
  }

  /**
   * Decides from the setting's value (null when unset) and, when unset, the engine.
   *
   * @throws IllegalStateException for a value other than {@code local} or {@code containers}, or
   *     {@code containers} without an engine that answers
   */
  static InfrastructureChoice decide(String setting, List<String> images, Engine engine) {
    String value = setting == null ? "" : setting.strip().toLowerCase(Locale.ROOT);
    switch (value) {
      case "local" -> {
        return new InfrastructureChoice(false, "local stack (" + SETTING + "=local)");
      }
      case "containers" -> {
        if (!engine.answers()) {
          throw new IllegalStateException(
              SETTING
                  + "=containers, but no Docker engine answers: start one, or set "
                  + SETTING
                  + "=local to use the local stack (scripts/stack infra)");
        }
        return new InfrastructureChoice(
            true, "Testcontainers (" + SETTING + "=containers; images pulled if missing)");
      }
      case "" -> {
        if (!engine.answers()) {
          return new InfrastructureChoice(
              false, "local stack (" + SETTING + " unset and no Docker engine answers)");
        }
        List<String> missing = engine.missing(images);
        if (!missing.isEmpty()) {
          return new InfrastructureChoice(
              false,
              "local stack ("
                  + SETTING
                  + " unset; a Docker engine answers but lacks "
                  + String.join(", ", missing)
                  + ", which may not be pullable here; set "
                  + SETTING
                  + "=containers to pull them)");
        }
        return new InfrastructureChoice(
            true,
            "Testcontainers ("
                + SETTING
                + " unset; the Docker engine has "
                + String.join(", ", images)
                + "; set "
                + SETTING
                + "=local for the local stack)");
      }
      default ->
          throw new IllegalStateException(
              SETTING + "=" + setting + " is not a test infrastructure: use local or containers");
    }
  }
}
