package io.asyncrpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Tests for {@link ProblemErrorController}: an error that reaches the container's error page (here
 * {@code sendError}) is a problem with a stable type, not Boot's whitelabel answer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProblemErrorControllerTests {

  @LocalServerPort int port;

  @Test
  void aClientErrorIsAProblem() {
    RawHttp.Answer answer = get("/send-error?status=418");

    assertThat(answer.status()).isEqualTo(418);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    assertThat(answer.body()).contains("\"type\":\"urn:iot-async-rpc:problem:client-error\"");
  }

  @Test
  void aServiceUnavailableHasRetryAfter() {
    RawHttp.Answer answer = get("/send-error?status=503");

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.header("Retry-After")).isEqualTo("5");
    assertThat(answer.body())
        .contains("\"type\":\"urn:iot-async-rpc:problem:service-unavailable\"");
  }

  @Test
  void aServerErrorSaysNothingMore() {
    RawHttp.Answer answer = get("/send-error?status=500");

    assertThat(answer.status()).isEqualTo(500);
    assertThat(answer.body())
        .contains("\"type\":\"urn:iot-async-rpc:problem:internal-error\"")
        .contains("an unexpected error occurred; it has been logged");
  }

  private RawHttp.Answer get(String path) {
    return RawHttp.send(
        port, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  }
}
