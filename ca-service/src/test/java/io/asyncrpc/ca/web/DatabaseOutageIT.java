package io.asyncrpc.ca.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.asyncrpc.ca.CaServiceApplication;
import io.asyncrpc.ca.TestPki;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import io.asyncrpc.testsupport.TcpProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;

/**
 * ca-service with PostgreSQL cut off (a TCP proxy between them is cut; the shared database keeps
 * running): every request that needs the database is a {@code 503} problem with {@code Retry-After}
 * within the pool's timeout, each logged in one line without a stack trace, and the service
 * recovers on its own when the database is back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseOutageIT {

  private static final String ADMIN_ID = "outage-admin";
  private static final String ADMIN_SECRET = UUID.randomUUID().toString();
  private static final String UNAVAILABLE = "urn:iot-async-rpc:problem:service-unavailable";

  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private TcpProxy database;
  private ConfigurableApplicationContext ca;
  private ApiClient http;

  @BeforeAll
  void startTheServiceBehindAProxy() {
    Endpoints endpoints = Infrastructure.endpoints();
    URI jdbc = URI.create(endpoints.jdbcUrl().substring("jdbc:".length()));
    database = TcpProxy.to(jdbc.getHost(), jdbc.getPort());
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("server.port", "0");
    properties.put(
        "spring.datasource.url",
        "jdbc:postgresql://127.0.0.1:"
            + database.port()
            + jdbc.getRawPath()
            + (jdbc.getRawQuery() == null ? "" : "?" + jdbc.getRawQuery()));
    properties.put("spring.datasource.username", endpoints.dbUser());
    properties.put("spring.datasource.password", endpoints.dbPassword());
    properties.put("iot.ca.pki-dir", TestPki.shared().dir().toString());
    properties.put(
        "iot.ca.broker.management-url",
        "http://" + endpoints.amqpHost() + ":" + endpoints.managementPort());
    properties.put("iot.ca.broker.username", endpoints.amqpUser());
    properties.put("iot.ca.broker.password", endpoints.amqpPassword());
    properties.put("iot.ca.bootstrap-client.id", ADMIN_ID);
    properties.put("iot.ca.bootstrap-client.secret", ADMIN_SECRET);
    properties.put("iot.ca.bootstrap-client.tenant", "outage-operator");
    List<String> args = new ArrayList<>();
    properties.forEach((name, value) -> args.add("--" + name + "=" + value));
    ca = new SpringApplicationBuilder(CaServiceApplication.class).run(args.toArray(String[]::new));
    http =
        ApiClient.local(
            ca.getEnvironment().getRequiredProperty("local.server.port", Integer.class), null);
    // After the start: Boot's logging set-up replaces the appenders it finds.
    logged.start();
    rootLogger().addAppender(logged);
  }

  @AfterAll
  void stop() {
    rootLogger().detachAppender(logged);
    if (ca != null) {
      ca.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void everyRequestThatNeedsTheDatabaseIsA503WithRetryAfterAndNoStackTrace() {
    String adminToken = http.token(ADMIN_ID, ADMIN_SECRET).text("access_token");
    assertThat(adminToken).isNotBlank();
    List<Supplier<ApiClient.Answer>> requests =
        List.of(
            () -> http.token(ADMIN_ID, ADMIN_SECRET),
            () -> http.getAs("/api/v1/identities/outage-device/certificates", adminToken),
            () ->
                http.postAs(
                    "/api/v1/clients",
                    Map.of(
                        "id",
                        "outage-" + UUID.randomUUID(),
                        "tenant",
                        "t",
                        "scopes",
                        List.of("tasks:read")),
                    adminToken),
            () -> http.getAs("/crl", null));

    database.cut();
    logged.list.clear();
    try {
      for (Supplier<ApiClient.Answer> request : requests) {
        assertUnavailable(request.get());
      }
    } finally {
      database.restore();
    }

    List<ILoggingEvent> events = List.copyOf(logged.list);
    assertThat(events)
        .filteredOn(e -> e.getFormattedMessage().startsWith("database unavailable: "))
        .as("one line per refused request")
        .hasSize(requests.size());
    // Hikari says once per pooled connection, with the driver's exception, that it broke: as many
    // lines as the pool has connections, however many requests fail.
    assertThat(events)
        .filteredOn(e -> e.getThrowableProxy() != null)
        .filteredOn(e -> !e.getLoggerName().startsWith("com.zaxxer.hikari"))
        .extracting(e -> e.getLoggerName() + ": " + e.getFormattedMessage())
        .as("no stack trace in the log")
        .isEmpty();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> http.token(ADMIN_ID, ADMIN_SECRET).status() == 200);
  }

  private static void assertUnavailable(ApiClient.Answer answer) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
    assertThat(answer.contentType()).hasToString("application/problem+json");
    assertThat(answer.header(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
    assertThat(answer.problemType()).isEqualTo(UNAVAILABLE);
  }

  private static Logger rootLogger() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
