package io.asyncrpc.api.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.ApiClient.Answer;
import io.asyncrpc.testsupport.InfrastructureConfiguration;
import io.asyncrpc.testsupport.TestTokens;
import io.asyncrpc.testsupport.TestTokensConfiguration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A task's latest progress as {@code GET /api/v1/tasks/{id}} shows it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({InfrastructureConfiguration.class, TestTokensConfiguration.class})
class TaskProgressIT {

  private static final String CLIENT = "it-client-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String TENANT = "it-tenant-" + UUID.randomUUID().toString().substring(0, 8);

  @LocalServerPort int port;
  @Autowired JsonMapper json;
  @Autowired JdbcClient jdbc;

  @Test
  void progressIsNullUntilTheDeviceReportsThenItsLatestReport() {
    ApiClient api =
        ApiClient.local(
            port,
            TestTokens.shared()
                .token(CLIENT, TENANT, "tasks:read", "tasks:write", "devices:admin"));
    String device = "it-" + UUID.randomUUID().toString().substring(0, 13);
    assertThat(api.post("/api/v1/devices", "{\"id\":\"" + device + "\"}").status()).isEqualTo(201);
    Answer created =
        api.post(
            "/api/v1/tasks",
            "{\"device_id\":\"%s\",\"method_code\":\"firmware.update\"}".formatted(device));
    String id = created.text("id");
    assertThat(created.body().path("progress").isNull()).isTrue();

    // What core-service writes when the device reports on dev/<SN>/prg.
    jdbc.sql(
            "UPDATE tasks SET progress_percent = 40, progress_message = 'block 4 of 10',"
                + " progress_at = now() WHERE id = ?::uuid")
        .param(id)
        .update();
    JsonNode progress = api.get("/api/v1/tasks/" + id).body().path("progress");

    assertThat(progress.path("percent").asInt()).isEqualTo(40);
    assertThat(progress.path("message").asString()).isEqualTo("block 4 of 10");
    assertThat(Instant.parse(progress.path("at").asString()))
        .isBefore(Instant.now().plusSeconds(1));

    jdbc.sql("UPDATE tasks SET progress_percent = NULL, progress_message = NULL WHERE id = ?::uuid")
        .param(id)
        .update();
    progress = api.get("/api/v1/tasks/" + id).body().path("progress");
    assertThat(progress.has("percent")).isTrue();
    assertThat(progress.path("percent").isNull()).isTrue();
    assertThat(progress.path("message").isNull()).isTrue();
  }
}
