package io.asyncrpc.mcp;

import static io.asyncrpc.mcp.McpClients.call;
import static io.asyncrpc.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.testsupport.TestTokens;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Tests for dry-run mode: the tools that change something describe the call and make none. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "iot.mcp.dry-run=true")
class DryRunTests {

  static final StubApi API = new StubApi();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("iot.mcp.api.url", API::url);
    registry.add("iot.security.jwk-set-uri", () -> TestTokens.shared().jwkSetUri());
  }

  @AfterAll
  static void stopApi() {
    API.close();
  }

  @Test
  void changingToolsDescribeTheCallAndSendNothingThatChangesState() {
    API.answer(
        "GET /api/v1/tasks/0b6f5c3e-0000-4000-8000-000000000001",
        200,
        "{\"id\":\"0b6f5c3e-0000-4000-8000-000000000001\",\"device_id\":\"SN-1\",\"status\":\"QUEUED\"}");
    String token = TestTokens.shared().token("agent", "default", "tasks:read", "tasks:write");
    try (McpSyncClient client = McpClients.connect("http://127.0.0.1:" + port, token)) {
      CallToolResult task =
          call(client, "create_task", Map.of("device_id", "SN-1", "method_code", "echo"));
      CallToolResult cancel =
          call(client, "cancel_task", Map.of("task_id", "0b6f5c3e-0000-4000-8000-000000000001"));
      CallToolResult job =
          call(
              client,
              "create_job",
              Map.of(
                  "targets",
                  Map.of("tag", "ring:canary"),
                  "method_code",
                  "echo",
                  "payload",
                  Map.of()));

      assertThat(List.of(task, cancel, job))
          .allSatisfy(
              r -> {
                assertThat(r.isError()).as(text(r)).isFalse();
                assertThat(text(r)).contains("\"dry_run\" : true");
              });
      assertThat(text(task)).contains("POST /api/v1/tasks");
      assertThat(text(cancel)).contains("DELETE /api/v1/tasks/").contains("QUEUED");
      assertThat(client.listTools().tools())
          .filteredOn(t -> t.name().equals("create_task"))
          .allSatisfy(t -> assertThat(t.description()).contains("DRY-RUN"));
    }
    assertThat(API.requests()).extracting(StubApi.Request::method).containsOnly("GET");
  }
}
