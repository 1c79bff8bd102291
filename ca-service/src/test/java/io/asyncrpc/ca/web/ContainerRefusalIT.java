package io.asyncrpc.ca.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.ca.IntegrationTest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests Tomcat refuses before any servlet sees them (an encoded NUL or slash in the path, a
 * character a request target may not hold, a header over the size limit) are answered with a
 * problem like every other error of the service, not with Tomcat's HTML error page.
 */
class ContainerRefusalIT extends IntegrationTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/crl%00", "/api/v1/identities/a%2Fb/certificates", "/crl{x}"})
  void aPathTomcatRefusesIsAProblem(String path) {
    assertBadRequestProblem(send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"));
  }

  @Test
  void aHeaderOverTheLimitIsAProblem() {
    assertBadRequestProblem(
        send("GET /crl HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "x".repeat(20_000) + "\r\n"));
  }

  private static void assertBadRequestProblem(String answer) {
    String head = answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n")));
    assertThat(head).as(answer).startsWith("HTTP/1.1 400 ");
    assertThat(head.toLowerCase(Locale.ROOT)).contains("content-type: application/problem+json");
    assertThat(answer)
        .contains("\"type\":\"" + PROBLEM + "bad-request\"")
        .doesNotContainIgnoringCase("<html");
  }

  /** Sends a request head no HTTP client would send and reads the whole answer. */
  private String send(String head) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write((head + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
