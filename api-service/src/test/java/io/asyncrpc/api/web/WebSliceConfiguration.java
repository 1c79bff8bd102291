package io.asyncrpc.api.web;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Brings the service's strict JSON settings and HTTP limits into a {@code @WebMvcTest} slice, which
 * does not load {@code @Configuration} classes or scan configuration properties.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(JsonConfiguration.class)
@EnableConfigurationProperties(WebProperties.class)
public class WebSliceConfiguration {}
