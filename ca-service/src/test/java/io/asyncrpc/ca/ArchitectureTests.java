package io.asyncrpc.ca;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.asyncrpc.testsupport.architecture.ArchitectureRules;

/** The boundaries of ca-service, checked by the build ({@link ArchitectureRules}). */
@AnalyzeClasses(packages = "io.asyncrpc.ca", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

  @ArchTest
  static final ArchRule featuresFreeOfCycles =
      ArchitectureRules.featuresFreeOfCycles("io.asyncrpc.ca");

  @ArchTest
  static final ArchRule noOtherService = ArchitectureRules.noOtherService("io.asyncrpc.ca");

  @ArchTest
  static final ArchRule agentInternalsStayInternal = ArchitectureRules.agentInternalsStayInternal();
}
