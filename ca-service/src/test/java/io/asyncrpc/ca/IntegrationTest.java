package io.asyncrpc.ca;

import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.BrokerManagement;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import io.asyncrpc.testsupport.InfrastructureConfiguration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the integration tests: the service on a random port against the real PostgreSQL and the
 * real RabbitMQ management API, with a throwaway PKI and an operator admin client.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(InfrastructureConfiguration.class)
public abstract class IntegrationTest {

  /** The bootstrap client: tenant {@value #OPERATOR_TENANT}, every scope. */
  protected static final String ADMIN_ID = "it-admin";

  protected static final String ADMIN_SECRET = UUID.randomUUID().toString();

  protected static final String OPERATOR_TENANT = "it-operator";

  protected static final String PROBLEM = "urn:iot-async-rpc:problem:";

  @LocalServerPort protected int port;
  @Autowired protected JsonMapper json;
  @Autowired protected JdbcClient jdbc;

  @DynamicPropertySource
  static void caProperties(DynamicPropertyRegistry registry) {
    Endpoints endpoints = Infrastructure.endpoints();
    registry.add("iot.ca.pki-dir", () -> TestPki.shared().dir().toString());
    registry.add(
        "iot.ca.broker.management-url",
        () -> "http://" + endpoints.amqpHost() + ":" + endpoints.managementPort());
    registry.add("iot.ca.broker.username", endpoints::amqpUser);
    registry.add("iot.ca.broker.password", endpoints::amqpPassword);
    registry.add("iot.ca.bootstrap-client.id", () -> ADMIN_ID);
    registry.add("iot.ca.bootstrap-client.secret", () -> ADMIN_SECRET);
    registry.add("iot.ca.bootstrap-client.tenant", () -> OPERATOR_TENANT);
  }

  protected ApiClient http() {
    return ApiClient.local(port, null);
  }

  /** The broker's management API, as the administrator. */
  protected static BrokerManagement broker() {
    return BrokerManagement.of(Infrastructure.endpoints());
  }

  /** An access token of the bootstrap (operator) client. */
  protected String adminToken() {
    return http().token(ADMIN_ID, ADMIN_SECRET).text("access_token");
  }

  /** A new client of {@code tenant} with {@code scopes}, and a token of it. */
  protected String tokenOfNewClient(String tenant, List<String> scopes) {
    String id = "it-client-" + suffix();
    ApiClient.Answer created =
        http()
            .postAs(
                "/api/v1/clients",
                Map.of("id", id, "tenant", tenant, "scopes", scopes),
                adminToken());
    if (created.status() != 201) {
      throw new IllegalStateException("creating a client failed: " + created);
    }
    return http().token(id, created.text("secret")).text("access_token");
  }

  /** A token with devices:admin for a new tenant-admin client of {@code tenant}. */
  protected String deviceAdminToken(String tenant) {
    return tokenOfNewClient(tenant, List.of("devices:admin"));
  }

  /** Registers a device of {@code tenant} the way api-service does, with a unique id. */
  protected String newDevice(String tenant) {
    String id = "ca-it-" + suffix();
    jdbc.sql("INSERT INTO devices (id, tenant) VALUES (?, ?)").params(id, tenant).update();
    return id;
  }

  protected static String newTenant() {
    return "t-" + suffix();
  }

  protected static String suffix() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }
}
