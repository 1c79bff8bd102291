package io.asyncrpc.api;

import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import io.asyncrpc.testsupport.TestTokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The api-service started in this JVM against the real PostgreSQL and RabbitMQ of the test run, for
 * tests that are not Spring tests (the input properties) or that put something between the service
 * and its infrastructure (a proxy to cut).
 */
public final class RunningApi implements AutoCloseable {

  private static RunningApi shared;

  private final ConfigurableApplicationContext context;
  private final int port;

  private RunningApi(ConfigurableApplicationContext context) {
    this.context = context;
    this.port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
  }

  /** One instance for the whole JVM with the default settings; closed when the JVM exits. */
  public static synchronized RunningApi shared() {
    if (shared == null) {
      shared = start(Map.of());
    }
    return shared;
  }

  /**
   * A new instance; {@code overrides} replace properties, e.g. {@code spring.datasource.url}. The
   * caller closes it.
   */
  public static RunningApi start(Map<String, String> overrides) {
    Endpoints endpoints = Infrastructure.endpoints();
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("server.port", "0");
    properties.put("spring.datasource.url", endpoints.jdbcUrl());
    properties.put("spring.datasource.username", endpoints.dbUser());
    properties.put("spring.datasource.password", endpoints.dbPassword());
    properties.put("spring.rabbitmq.host", endpoints.amqpHost());
    properties.put("spring.rabbitmq.port", Integer.toString(endpoints.amqpPort()));
    properties.put("spring.rabbitmq.username", endpoints.amqpUser());
    properties.put("spring.rabbitmq.password", endpoints.amqpPassword());
    properties.put("iot.security.jwk-set-uri", TestTokens.shared().jwkSetUri());
    properties.putAll(overrides);
    List<String> args = new ArrayList<>();
    properties.forEach((name, value) -> args.add("--" + name + "=" + value));
    return new RunningApi(
        new SpringApplicationBuilder(ApiServiceApplication.class).run(args.toArray(String[]::new)));
  }

  public int port() {
    return port;
  }

  /** SQL on the service's own database. */
  public JdbcClient jdbc() {
    return context.getBean(JdbcClient.class);
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  @Override
  public void close() {
    context.close();
  }
}
