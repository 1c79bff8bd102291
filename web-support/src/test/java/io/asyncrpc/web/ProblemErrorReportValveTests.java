package io.asyncrpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Tests for {@link ProblemErrorReportValve}: what Tomcat refuses before any servlet sees it is a
 * problem too, not Tomcat's HTML page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProblemErrorReportValveTests {

  @LocalServerPort int port;

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "GET /conflict%00 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        "GET /a%2Fb HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        "GET /a{b} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        "GET /conflict HTTP/9.x\r\nHost: localhost\r\nConnection: close\r\n\r\n",
      })
  void aRequestTomcatRefusesIsAProblem(String request) {
    assertProblem(RawHttp.send(port, request));
  }

  @org.junit.jupiter.api.Test
  void aHeaderOverTheLimitIsAProblem() {
    String big = "x".repeat(20_000);
    assertProblem(
        RawHttp.send(
            port,
            "GET /conflict HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                + big
                + "\r\nConnection: close\r\n\r\n"));
  }

  private static void assertProblem(RawHttp.Answer answer) {
    assertThat(answer.status()).as(answer.head()).isEqualTo(400);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    assertThat(answer.body())
        .contains("\"type\":\"urn:iot-async-rpc:problem:bad-request\"")
        .contains("\"status\":400")
        .doesNotContain("<html");
  }
}
