package io.asyncrpc.api.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;

import io.asyncrpc.api.web.WebSliceConfiguration;
import io.asyncrpc.protocol.ProtocolLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * Tests for {@link TaskController}: every malformed request is refused with a precise problem
 * before the task facade is reached, so it changes nothing.
 */
@WebMvcTest(TaskController.class)
@Import(WebSliceConfiguration.class)
class TaskControllerTests {

  private static final String PROBLEM = "urn:iot-async-rpc:problem:";

  @Autowired MockMvcTester mvc;

  @MockitoBean TaskManagement tasks;
  @MockitoBean TaskWaiting waiting;

  @AfterEach
  void nothingReachedTheFacade() {
    verifyNoInteractions(tasks, waiting);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          unknown field       | {"device_id":"SN-1","method_code":"m","colour":"red"}     | unknown-field       | colour
          priority as string  | {"device_id":"SN-1","method_code":"m","priority":"5"}     | invalid-type        | priority
          ttl as float        | {"device_id":"SN-1","method_code":"m","ttl":1.5}          | invalid-type        | ttl
          device id as number | {"device_id":7,"method_code":"m"}                         | invalid-type        | device_id
          priority too high   | {"device_id":"SN-1","method_code":"m","priority":10}      | validation-failed   | priority
          priority negative   | {"device_id":"SN-1","method_code":"m","priority":-1}      | validation-failed   | priority
          ttl zero            | {"device_id":"SN-1","method_code":"m","ttl":0}            | validation-failed   | ttl
          ttl too large       | {"device_id":"SN-1","method_code":"m","ttl":604801}       | validation-failed   | ttl
          device id with dot  | {"device_id":"SN.1","method_code":"m"}                    | validation-failed   | device_id
          device id with slash| {"device_id":"a/b","method_code":"m"}                     | validation-failed   | device_id
          device id missing   | {"method_code":"m"}                                       | validation-failed   | device_id
          method code missing | {"device_id":"SN-1"}                                      | validation-failed   | method_code
          method code spaces  | {"device_id":"SN-1","method_code":"a b"}                  | validation-failed   | method_code
          external id empty   | {"device_id":"SN-1","method_code":"m","external_id":""}   | validation-failed   | external_id
          """)
  void refusesInvalidBodiesNamingTheField(String name, String body, String slug, String field) {
    MvcTestResult result = post(body);

    assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo(PROBLEM + slug))
        .hasPathSatisfying("$.errors[0].field", v -> v.assertThat().isEqualTo(field))
        .hasPathSatisfying("$.detail", v -> v.assertThat().asString().contains(field));
  }

  @Test
  void refusesMalformedJson() {
    MvcTestResult result = post("{\"device_id\":");

    assertThat(result).hasStatus(400);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo(PROBLEM + "malformed-json"));
  }

  @Test
  void refusesAMissingBody() {
    MvcTestResult result = post("");

    assertThat(result).hasStatus(400);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo(PROBLEM + "malformed-json"));
  }

  @Test
  void refusesAPayloadOverTheProtocolLimit() {
    String big = "x".repeat(ProtocolLimits.MAX_PAYLOAD_BYTES);
    MvcTestResult result =
        post(
            "{\"device_id\":\"SN-1\",\"method_code\":\"m\",\"payload\":{\"blob\":\""
                + big
                + "\"}}");

    assertThat(result).hasStatus(413);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo(PROBLEM + "payload-too-large"))
        .hasPathSatisfying("$.errors[0].field", v -> v.assertThat().isEqualTo("payload"));
  }

  @Test
  void refusesARequestBodyOverTheSizeLimit() {
    String huge = "x".repeat(300 * 1024);
    MvcTestResult result =
        post("{\"device_id\":\"SN-1\",\"method_code\":\"m\",\"payload\":\"" + huge + "\"}");

    assertThat(result).hasStatus(413);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo(PROBLEM + "request-too-large"));
  }

  @Test
  void refusesAnOverlongIdempotencyKey() {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/tasks")
            .header("Idempotency-Key", "k".repeat(129))
            .contentType(MediaType.APPLICATION_JSON)
            .content("{\"device_id\":\"SN-1\",\"method_code\":\"m\"}")
            .exchange();

    assertThat(result).hasStatus(400);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying("$.errors[0].field", v -> v.assertThat().isEqualTo("Idempotency-Key"));
  }

  @Test
  void refusesAMalformedTaskId() {
    MvcTestResult result = mvc.get().uri("/api/v1/tasks/not-a-uuid").exchange();

    assertThat(result).hasStatus(400);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo(PROBLEM + "invalid-parameter"))
        .hasPathSatisfying("$.errors[0].field", v -> v.assertThat().isEqualTo("id"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "status=RUNNING, status",
    "status=queued, status",
    "status=DONE&status=WAITING, status",
    "'status=DONE,WAITING', status",
    "limit=0, limit",
    "limit=201, limit",
    "limit=ten, limit",
    "cursor=not-a-cursor, cursor",
    "cursor=MTIzOm5vdC1hLXV1aWQ, cursor",
    "device_id=a.b, device_id"
  })
  void refusesInvalidListParameters(String query, String field) {
    MvcTestResult result = mvc.get().uri("/api/v1/tasks?" + query).exchange();

    assertThat(result).hasStatus(400);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo(PROBLEM + "invalid-parameter"))
        .hasPathSatisfying("$.errors[0].field", v -> v.assertThat().isEqualTo(field));
  }

  @Test
  void answersUnsupportedMediaTypeWithAProblem() {
    MvcTestResult result =
        mvc.post().uri("/api/v1/tasks").contentType(MediaType.TEXT_PLAIN).content("x").exchange();

    assertThat(result).hasStatus(415).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying(
            "$.type", v -> v.assertThat().isEqualTo(PROBLEM + "unsupported-media-type"));
  }

  @Test
  void answersMethodNotAllowedWithAProblem() {
    MvcTestResult result = mvc.put().uri("/api/v1/tasks").exchange();

    assertThat(result).hasStatus(405).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo(PROBLEM + "method-not-allowed"));
  }

  @Test
  void answersNotAcceptableWithAProblem() {
    MvcTestResult result = mvc.get().uri("/api/v1/tasks").accept(MediaType.TEXT_PLAIN).exchange();

    assertThat(result).hasStatus(406);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo(PROBLEM + "not-acceptable"));
  }

  @Test
  void answersUnknownPathsWithAProblem() {
    MvcTestResult result = mvc.get().uri("/api/v1/nothing-here").exchange();

    assertThat(result).hasStatus(404).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying("$.type", v -> v.assertThat().isEqualTo(PROBLEM + "not-found"));
  }

  @Test
  void anUnknownStatusNamesTheAllowedValues() {
    MvcTestResult result = mvc.get().uri("/api/v1/tasks?status=DONE&status=WAITING").exchange();

    assertThat(result).hasStatus(400);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying(
            "$.detail",
            v ->
                v.assertThat()
                    .isEqualTo(
                        "parameter 'status' must be one of QUEUED, PENDING, LOCKED, DONE, FAILED,"
                            + " EXPIRED, TIMED_OUT, CANCELLED, UNREACHABLE; 'WAITING' is none of"
                            + " them"));
  }

  private MvcTestResult post(String body) {
    return mvc.post()
        .uri("/api/v1/tasks")
        .contentType(MediaType.APPLICATION_JSON)
        .content(body)
        .exchange();
  }
}
