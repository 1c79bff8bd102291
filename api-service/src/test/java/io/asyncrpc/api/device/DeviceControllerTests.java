package io.asyncrpc.api.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;

import io.asyncrpc.api.web.WebSliceConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** Tests for {@link DeviceController}: malformed registrations never reach the registry. */
@WebMvcTest(DeviceController.class)
@Import(WebSliceConfiguration.class)
class DeviceControllerTests {

  @Autowired MockMvcTester mvc;

  @MockitoBean DeviceRegistry registry;
  @MockitoBean DeviceEventLog events;

  @AfterEach
  void nothingReachedTheRegistry() {
    verifyNoInteractions(registry);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          id with dot      | {"id":"SN.1"}                        | validation-failed | id
          id with plus     | {"id":"SN+1"}                        | validation-failed | id
          id too long      | {"id":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"} | validation-failed | id
          id missing       | {"display_name":"x"}                 | validation-failed | id
          unknown field    | {"id":"SN-1","colour":"red"}         | unknown-field     | colour
          id as number     | {"id":12}                            | invalid-type      | id
          """)
  void refusesInvalidRegistrations(String name, String body, String slug, String field) {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/devices")
            .contentType(MediaType.APPLICATION_JSON)
            .content(body)
            .exchange();

    assertThat(result).hasStatus(400).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(result)
        .bodyJson()
        .hasPathSatisfying(
            "$.type", v -> v.assertThat().isEqualTo("urn:iot-async-rpc:problem:" + slug))
        .hasPathSatisfying("$.errors[0].field", v -> v.assertThat().isEqualTo(field));
  }
}
