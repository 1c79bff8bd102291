package io.asyncrpc.testsupport.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The boundaries the build checks, the same in every module ({@code ArchitectureTests} in each):
 * feature packages without cycles, the device agent's {@code internal} packages used only by the
 * agent, and no service depending on another service's code.
 */
public final class ArchitectureRules {

  /** The root package of each deployable service. */
  public static final List<String> SERVICES =
      List.of("io.asyncrpc.api", "io.asyncrpc.core", "io.asyncrpc.ca", "io.asyncrpc.mcp");

  private static final String AGENT = "io.asyncrpc.agent";

  private ArchitectureRules() {}

  /** The feature packages directly under {@code root} (and theirs) form no dependency cycle. */
  public static ArchRule featuresFreeOfCycles(String root) {
    return slices()
        .matching(root + ".(*)..")
        .should()
        .beFreeOfCycles()
        .as("the feature packages of " + root + " have no dependency cycle");
  }

  /** Code under {@code root} uses no other service's code: services meet over AMQP and HTTP. */
  public static ArchRule noOtherService(String root) {
    String[] others =
        SERVICES.stream().filter(s -> !s.equals(root)).map(s -> s + "..").toArray(String[]::new);
    return noClasses()
        .that()
        .resideInAPackage(root + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(others)
        .as(root + " depends on no other service")
        .allowEmptyShould(true);
  }

  /** Only the device agent itself uses {@code io.asyncrpc.agent.internal}. */
  public static ArchRule agentInternalsStayInternal() {
    return noClasses()
        .that()
        .resideOutsideOfPackage(AGENT + "..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(AGENT + ".internal..")
        .as("only the agent uses its internal packages")
        .allowEmptyShould(true);
  }

  /**
   * Within the agent, {@code internal} is reached only from the agent's own API package (the
   * builder) and from inside it: sub-packages of internal are not used by each other's siblings
   * through the public API.
   */
  public static ArchRule agentApiHidesInternals() {
    return noClasses()
        .that()
        .resideInAPackage(AGENT)
        .and()
        .arePublic()
        .and()
        .areInterfaces()
        .should()
        .dependOnClassesThat()
        .resideInAPackage(AGENT + ".internal..")
        .as("the agent's public interfaces expose no internal type");
  }
}
