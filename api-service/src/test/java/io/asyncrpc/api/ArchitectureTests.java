package io.asyncrpc.api;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.asyncrpc.testsupport.architecture.ArchitectureRules;

/** The boundaries of api-service, checked by the build ({@link ArchitectureRules}). */
@AnalyzeClasses(packages = "io.asyncrpc.api", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

  @ArchTest
  static final ArchRule featuresFreeOfCycles =
      ArchitectureRules.featuresFreeOfCycles("io.asyncrpc.api");

  @ArchTest
  static final ArchRule noOtherService = ArchitectureRules.noOtherService("io.asyncrpc.api");

  @ArchTest
  static final ArchRule agentInternalsStayInternal = ArchitectureRules.agentInternalsStayInternal();
}
