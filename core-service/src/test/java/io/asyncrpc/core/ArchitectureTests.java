package io.asyncrpc.core;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.asyncrpc.testsupport.architecture.ArchitectureRules;

/** The boundaries of core-service, checked by the build ({@link ArchitectureRules}). */
@AnalyzeClasses(packages = "io.asyncrpc.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

  @ArchTest
  static final ArchRule featuresFreeOfCycles =
      ArchitectureRules.featuresFreeOfCycles("io.asyncrpc.core");

  @ArchTest
  static final ArchRule noOtherService = ArchitectureRules.noOtherService("io.asyncrpc.core");

  @ArchTest
  static final ArchRule agentInternalsStayInternal = ArchitectureRules.agentInternalsStayInternal();
}
