package io.asyncrpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** Tests for {@link ProblemHandler}: every failure is a problem with a stable type. */
@WebMvcTest
@ImportAutoConfiguration(WebSupportAutoConfiguration.class)
@TestPropertySource(
    properties = {"iot.web.retry-after=7s", "iot.web.not-found-hint=the API is under /api/v1"})
class ProblemHandlerTests {

  private static final String PROBLEM = Problems.TYPE_PREFIX;

  @Autowired MockMvcTester mvc;

  private final Logger handlerLog = (Logger) LoggerFactory.getLogger(ProblemHandler.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeEach
  void captureTheLog() {
    logged.start();
    handlerLog.addAppender(logged);
  }

  @AfterEach
  void releaseTheLog() {
    handlerLog.detachAppender(logged);
  }

  @Test
  void anApiExceptionIsItsOwnProblemWithErrorsAndExtraMembers() {
    MvcTestResult result = mvc.get().uri("/conflict").exchange();

    assertThat(result).hasStatus(409).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo(PROBLEM + "thing-exists"))
        .hasPathSatisfying("$.title", v -> v.assertThat().isEqualTo("Thing exists"))
        .hasPathSatisfying("$.detail", v -> v.assertThat().isEqualTo("thing 'a' exists"))
        .hasPathSatisfying("$.errors[0].field", v -> v.assertThat().isEqualTo("id"))
        .hasPathSatisfying("$.error", v -> v.assertThat().isEqualTo("invalid_request"));
    assertThat(logged.list).isEmpty();
  }

  @Test
  void aDatabaseThatCannotBeReachedIsA503WithRetryAfterAndOneLogLine() {
    MvcTestResult result = mvc.get().uri("/database-down").exchange();

    assertUnavailable(result);
    assertThat(logged.list)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getLevel()).isEqualTo(Level.WARN);
              assertThat(event.getFormattedMessage())
                  .startsWith("database unavailable: ")
                  .contains("Connection is not available");
              assertThat(event.getThrowableProxy()).as("no stack trace").isNull();
            });
  }

  @Test
  void aConnectionLostUnderAnotherExceptionIsA503TooNotA500() {
    MvcTestResult result = mvc.get().uri("/connection-lost").exchange();

    assertUnavailable(result);
    assertThat(logged.list)
        .singleElement()
        .satisfies(event -> assertThat(event.getThrowableProxy()).isNull());
  }

  @Test
  void aDependencyDownIsLoggedInOneLineWithItsCause() {
    MvcTestResult result = mvc.get().uri("/dependency-down").exchange();

    assertThat(result).hasStatus(503).hasHeader(HttpHeaders.RETRY_AFTER, "7");
    assertThat(logged.list)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getFormattedMessage())
                  .isEqualTo("broker-unavailable: retry (java.io.IOException: connection refused)");
              assertThat(event.getThrowableProxy()).isNull();
            });
  }

  @Test
  void aFrameworkUnavailableGetsRetryAfterAndAStableTypeToo() {
    MvcTestResult result = mvc.get().uri("/framework-unavailable").exchange();

    assertUnavailable(result);
  }

  @Test
  void anUnexpectedErrorIsA500WithoutDetailsAndItsStackTraceIsLogged() {
    MvcTestResult result = mvc.get().uri("/bug").exchange();

    assertThat(result).hasStatus(500).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo(PROBLEM + "internal-error"))
        .hasPathSatisfying(
            "$.detail",
            v -> v.assertThat().isEqualTo("an unexpected error occurred; it has been logged"));
    assertThat(result).bodyText().doesNotContain("a bug");
    assertThat(logged.list)
        .singleElement()
        .satisfies(event -> assertThat(event.getThrowableProxy()).isNotNull());
  }

  @Test
  void anUnknownFieldIsNamed() {
    MvcTestResult result = post("{\"device_name\":\"a\",\"count\":1,\"colour\":\"red\"}");

    assertProblem(result, "unknown-field", "colour");
  }

  @Test
  void aWrongTypeNamesTheFieldInSnakeCaseAndTheRangeItDeclares() {
    MvcTestResult result = post("{\"device_name\":\"a\",\"count\":\"5\"}");

    assertProblem(result, "invalid-type", "count");
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying(
            "$.errors[0].message",
            v -> v.assertThat().isEqualTo("must be an integer of at least 1"));
  }

  @Test
  void anIntegerTooLargeForItsTypeIsAFieldErrorNotMalformedJson() {
    MvcTestResult result = post("{\"device_name\":\"a\",\"count\":1,\"priority\":99999999999}");

    assertProblem(result, "invalid-type", "priority");
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying(
            "$.detail",
            v -> v.assertThat().isEqualTo("field 'priority' must be an integer between 0 and 9"));
  }

  @Test
  void aBodyThatIsNotAnObjectIsSaidSo() {
    MvcTestResult result = post("[]");

    assertThat(result).hasStatus(400);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo(PROBLEM + "invalid-body"))
        .hasPathSatisfying(
            "$.detail", v -> v.assertThat().isEqualTo("the request body must be a JSON object"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "[]",
        "\"order\"",
        "{\"device_name\":\"a\",\"count\":99999999999}",
        "{\"device_name\":\"a\",\"count\":1,\"priority\":1e400}",
        "{\"device_name\":\"a\",\"count\":1,\"tags\":\"x\"}",
        "{\"device_name\":\"a\",\"count\":1,\"tags\":[[]]}",
        "{\"device_name\":{},\"count\":1}",
        "{\"device_name\":\"a\",\"count\":1} {}",
        "{\"device_name\":\"a\",\"count\":1",
      })
  void noDetailNamesAJavaType(String body) {
    MvcTestResult result = post(body);

    assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(result)
        .bodyText()
        .doesNotContain("`", "io.asyncrpc", "java.", "Order", "Integer", " int ", "JsonToken");
  }

  @Test
  void aListFieldOfTheWrongTypeMustBeAnArray() {
    MvcTestResult result = post("{\"device_name\":\"a\",\"count\":1,\"tags\":\"x\"}");

    assertProblem(result, "invalid-type", "tags");
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying(
            "$.errors[0].message", v -> v.assertThat().isEqualTo("must be an array"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "text/plain",
        "application/yaml",
        "application/xml",
        "text/xml",
        "application/x-www-form-urlencoded",
        "application/cbor"
      })
  void aBodyInAnotherFormatIsUnsupportedNamingJson(String contentType) {
    MvcTestResult result =
        mvc.post()
            .uri("/orders")
            .contentType(contentType)
            .content("device_name: a\ncount: 1\n")
            .exchange();

    assertThat(result).hasStatus(415).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying(
            "$.type", v -> v.assertThat().isEqualTo(PROBLEM + "unsupported-media-type"))
        .hasPathSatisfying(
            "$.detail",
            v ->
                v.assertThat()
                    .isEqualTo(
                        "Content-Type '"
                            + contentType
                            + "' is not supported here; send application/json"))
        .hasPathSatisfying(
            "$.accepted", v -> v.assertThat().isEqualTo(List.of("application/json")));
  }

  @Test
  void aBodyWithoutContentTypeIsToldWhatToSend() {
    MvcTestResult result = mvc.post().uri("/orders").content("{}").exchange();

    assertThat(result).hasStatus(415);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying(
            "$.detail",
            v ->
                v.assertThat().isEqualTo("the request has no Content-Type; send application/json"));
  }

  @Test
  void aFieldGivenTwiceIsRefusedNotSilentlyTheLastOne() {
    MvcTestResult result = post("{\"device_name\":\"a\",\"device_name\":\"b\"}");

    assertThat(result).hasStatus(400);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo(PROBLEM + "malformed-json"))
        .hasPathSatisfying(
            "$.detail", v -> v.assertThat().asString().contains("'device_name' appears twice"));
  }

  @Test
  void malformedJsonIsSaidSo() {
    assertThat(post("{\"device_name\":"))
        .bodyJson()
        .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo(PROBLEM + "malformed-json"));
  }

  @Test
  void aFailedValidationListsTheJsonNames() {
    MvcTestResult result = post("{\"device_name\":\" \",\"count\":0}");

    assertProblem(result, "validation-failed", "count");
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying("$.errors[1].field", v -> v.assertThat().isEqualTo("device_name"));
  }

  @Test
  void aProblemRaisedWhileReadingTheBodyKeepsItsType() {
    MvcTestResult result =
        mvc.post().uri("/limited").contentType(MediaType.APPLICATION_JSON).content("{}").exchange();

    assertThat(result).hasStatus(413);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo(PROBLEM + "request-too-large"));
  }

  @Test
  void aParameterOfTheWrongTypeIsNamed() {
    MvcTestResult result = mvc.get().uri("/number?value=five").exchange();

    assertProblem(result, "invalid-parameter", "value");
  }

  @Test
  void aListParameterSaysWhatEachValueMustBe() {
    assertThat(mvc.get().uri("/numbers?value=1&value=2").exchange()).hasStatus(200);
    assertThat(mvc.get().uri("/numbers?value=1,2").exchange()).hasStatus(200);

    MvcTestResult result = mvc.get().uri("/numbers?value=1&value=two").exchange();

    assertProblem(result, "invalid-parameter", "value");
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying(
            "$.detail",
            v ->
                v.assertThat()
                    .isEqualTo(
                        "parameter 'value' must be an integer in each of its values (repeat it or"
                            + " separate them with commas)"));
  }

  @Test
  void anUnknownPathIsNotFoundWithTheServicesHint() {
    MvcTestResult result = mvc.get().uri("/nowhere").exchange();

    assertThat(result).hasStatus(404).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo(PROBLEM + "not-found"))
        .hasPathSatisfying(
            "$.detail",
            v -> v.assertThat().isEqualTo("no resource at /nowhere; the API is under /api/v1"));
  }

  @Test
  void theFrameworksOwnProblemsGetAStableType() {
    MvcTestResult result = mvc.delete().uri("/conflict").exchange();

    assertThat(result).hasStatus(405);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo(PROBLEM + "method-not-allowed"));
  }

  private MvcTestResult post(String body) {
    return mvc.post()
        .uri("/orders")
        .contentType(MediaType.APPLICATION_JSON)
        .content(body)
        .exchange();
  }

  private static void assertProblem(MvcTestResult result, String slug, String field) {
    assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo(PROBLEM + slug))
        .hasPathSatisfying("$.errors[0].field", v -> v.assertThat().isEqualTo(field));
  }

  private static void assertUnavailable(MvcTestResult result) {
    assertThat(result)
        .hasStatus(503)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .hasHeader(HttpHeaders.RETRY_AFTER, "7");
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying(
            "$.type", v -> v.assertThat().isEqualTo(PROBLEM + "service-unavailable"));
  }
}
