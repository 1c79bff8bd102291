package io.asyncrpc.mcp;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.asyncrpc.testsupport.architecture.ArchitectureRules;

/**
 * The boundaries of mcp-server ({@link ArchitectureRules}): it reaches the system through the REST
 * API only, never through another service's code.
 */
@AnalyzeClasses(packages = "io.asyncrpc.mcp", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

  @ArchTest
  static final ArchRule featuresFreeOfCycles =
      ArchitectureRules.featuresFreeOfCycles("io.asyncrpc.mcp");

  @ArchTest
  static final ArchRule noOtherService = ArchitectureRules.noOtherService("io.asyncrpc.mcp");
}
