package io.asyncrpc.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.InfrastructureConfiguration;
import io.asyncrpc.testsupport.TestTokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * When ca-service's JWKS cannot be fetched, no token can be checked: that is the service's trouble,
 * not the caller's, so the answer is a 503 problem to retry (it was a bare 500), and nothing is
 * written.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(InfrastructureConfiguration.class)
class SigningKeysUnavailableIT {

  @DynamicPropertySource
  static void unreachableKeys(DynamicPropertyRegistry registry) throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    registry.add(
        "iot.security.jwk-set-uri",
        () -> "http://127.0.0.1:" + closedPort + "/.well-known/jwks.json");
  }

  @LocalServerPort int port;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;

  @Test
  void aWellFormedTokenIsAnswered503ToRetryAndNothingIsWritten() {
    String device = "it-keys-" + UUID.randomUUID().toString().substring(0, 8);
    String token = TestTokens.shared().token("it-keys", "it-keys", "devices:admin");

    Answer response =
        ApiClient.local(port, token).post("/api/v1/devices", "{\"id\":\"%s\"}".formatted(device));

    assertThat(response.status()).isEqualTo(503);
    assertThat(response.problemType()).isEqualTo("urn:iot-async-rpc:problem:service-unavailable");
    assertThat(response.header("Retry-After")).isEqualTo("5");
    assertThat(
            jdbc.sql("SELECT count(*) FROM devices WHERE id = :id")
                .param("id", device)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void aRequestWithoutATokenIsStill401() {
    Answer response = ApiClient.local(port, null).get("/api/v1/tasks");

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.problemType()).isEqualTo("urn:iot-async-rpc:problem:unauthorized");
  }
}
