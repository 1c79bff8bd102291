package io.asyncrpc.systemtests;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.asyncrpc.testsupport.architecture.ArchitectureRules;

/**
 * The end-to-end tests drive the agent through its public API only: they are the agent's heaviest
 * user outside its own module.
 */
@AnalyzeClasses(packages = "io.asyncrpc")
class ArchitectureTests {

  @ArchTest
  static final ArchRule agentInternalsStayInternal = ArchitectureRules.agentInternalsStayInternal();
}
