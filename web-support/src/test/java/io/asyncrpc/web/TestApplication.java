package io.asyncrpc.web;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * A minimal servlet application for the tests: the auto-configuration as a service gets it, and one
 * controller that fails in every way the handler knows. No component scan, so the handler is the
 * auto-configuration's bean and not a scanned copy.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(FailingController.class)
class TestApplication {}
