package io.asyncrpc.agent;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.asyncrpc.testsupport.architecture.ArchitectureRules;

/** The boundaries of the device agent, checked by the build ({@link ArchitectureRules}). */
@AnalyzeClasses(
    packages = "io.asyncrpc.agent",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

  @ArchTest
  static final ArchRule featuresFreeOfCycles =
      ArchitectureRules.featuresFreeOfCycles("io.asyncrpc.agent.internal");

  @ArchTest static final ArchRule apiHidesInternals = ArchitectureRules.agentApiHidesInternals();

  @ArchTest static final ArchRule noService = ArchitectureRules.noOtherService("io.asyncrpc.agent");
}
