package io.asyncrpc.mcp;

import static io.asyncrpc.mcp.McpClients.call;
import static io.asyncrpc.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.testsupport.TestTokens;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Tests for the MCP server against a stand-in api-service: the tools, what they send (the caller's
 * own token, {@code Prefer: wait}), and what they refuse before sending anything.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "iot.mcp.allowed-devices=lab-*,SN-0001")
class McpServerTests {

  static final StubApi API = new StubApi();
  static final String TOKEN =
      TestTokens.shared().token("agent", "default", "tasks:read", "tasks:write");

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

  @BeforeEach
  void resetApi() {
    API.reset();
  }

  @Test
  void listsEveryToolWithAnInputSchemaAndTheResources() {
    try (McpSyncClient client = client(TOKEN)) {
      List<Tool> tools = client.listTools().tools();

      assertThat(tools)
          .extracting(Tool::name)
          .containsExactlyInAnyOrder(
              "list_devices",
              "get_device",
              "list_device_events",
              "get_device_state",
              "create_task",
              "get_task",
              "cancel_task",
              "create_job",
              "get_job");
      assertThat(tools)
          .allSatisfy(t -> assertThat(t.inputSchema()).containsEntry("type", "object"));
      Tool create = tools.stream().filter(t -> t.name().equals("create_task")).findFirst().get();
      assertThat(create.description()).contains("real device").contains("tasks:write");
      assertThat(create.inputSchema().get("required"))
          .isEqualTo(List.of("device_id", "method_code"));
      assertThat(create.annotations().destructiveHint()).isTrue();

      TextResourceContents codes =
          (TextResourceContents)
              client
                  .readResource(ReadResourceRequest.builder("iot://protocol/method-codes").build())
                  .contents()
                  .getFirst();
      assertThat(codes.text()).contains("`sum`").contains("`echo`").contains("`sleep`");
      TextResourceContents protocol =
          (TextResourceContents)
              client
                  .readResource(
                      ReadResourceRequest.builder("iot://protocol/device-protocol").build())
                  .contents()
                  .getFirst();
      assertThat(protocol.text()).contains("srv/").contains("dev/");
    }
  }

  @Test
  void createTaskPassesTheCallersTokenAndWaitsWithPrefer() {
    API.answer(
        "POST /api/v1/tasks",
        200,
        "{\"id\":\"0b6f5c3e-0000-4000-8000-000000000001\",\"device_id\":\"lab-1\",\"status\":\"DONE\",\"result\":{\"sum\":6}}");
    try (McpSyncClient client = client(TOKEN)) {
      CallToolResult result =
          call(
              client,
              "create_task",
              Map.of(
                  "device_id",
                  "lab-1",
                  "method_code",
                  "sum",
                  "payload",
                  Map.of("values", List.of(1, 2, 3)),
                  "wait_seconds",
                  20));

      assertThat(result.isError()).as(text(result)).isFalse();
      assertThat(text(result)).contains("\"DONE\"").contains("\"sum\" : 6");
    }
    StubApi.Request sent = API.requests().getFirst();
    assertThat(sent.authorization()).isEqualTo("Bearer " + TOKEN);
    assertThat(sent.prefer()).isEqualTo("wait=20");
    assertThat(sent.body())
        .isEqualTo(
            "{\"device_id\":\"lab-1\",\"method_code\":\"sum\",\"payload\":{\"values\":[1,2,3]}}");
  }

  @Test
  void anApiProblemIsAToolErrorWithItsTitleAndDetail() {
    API.answer(
        "POST /api/v1/tasks",
        422,
        "{\"type\":\"urn:iot-async-rpc:problem:device-not-registered\",\"title\":\"Device not registered\",\"status\":422,\"detail\":\"no device SN-0001\"}");
    try (McpSyncClient client = client(TOKEN)) {
      CallToolResult result =
          call(client, "create_task", Map.of("device_id", "SN-0001", "method_code", "echo"));

      assertThat(result.isError()).isTrue();
      assertThat(text(result)).contains("422 Device not registered: no device SN-0001");
    }
  }

  @Test
  void aDeviceOutsideTheAllowlistIsRefusedBeforeAnyCall() {
    try (McpSyncClient client = client(TOKEN)) {
      CallToolResult create =
          call(client, "create_task", Map.of("device_id", "prod-7", "method_code", "echo"));
      CallToolResult read = call(client, "get_device_state", Map.of("device_id", "prod-7"));
      CallToolResult job =
          call(
              client,
              "create_job",
              Map.of(
                  "targets",
                  Map.of("device_ids", List.of("lab-1", "prod-7")),
                  "method_code",
                  "echo",
                  "payload",
                  Map.of()));

      assertThat(List.of(create, read, job))
          .allSatisfy(
              r -> {
                assertThat(r.isError()).isTrue();
                assertThat(text(r)).contains("prod-7 is outside").contains("allowlist");
              });
    }
    assertThat(API.requests()).isEmpty();
  }

  @Test
  void aTagTargetIsResolvedAndEveryDeviceChecked() {
    API.answer(
        "GET /api/v1/devices",
        200,
        "{\"items\":[{\"id\":\"lab-1\"},{\"id\":\"prod-2\"}],\"next_cursor\":null}");
    try (McpSyncClient client = client(TOKEN)) {
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

      assertThat(job.isError()).isTrue();
      assertThat(text(job)).contains("ring:canary").contains("prod-2");
    }
    assertThat(API.requests())
        .extracting(StubApi.Request::method)
        .containsExactly("GET"); // the lookup, no POST
  }

  @Test
  void listDevicesLeavesOutDevicesOutsideTheAllowlist() {
    API.answer(
        "GET /api/v1/devices",
        200,
        "{\"items\":[{\"id\":\"lab-1\"},{\"id\":\"prod-2\"},{\"id\":\"SN-0001\"}],\"next_cursor\":\"c2\"}");
    try (McpSyncClient client = client(TOKEN)) {
      CallToolResult result =
          call(client, "list_devices", Map.of("tag", List.of("ring:canary", "site:b")));

      assertThat(text(result)).contains("lab-1").contains("SN-0001").doesNotContain("prod-2");
      assertThat(text(result)).contains("c2");
    }
    assertThat(API.requests().getFirst().pathAndQuery())
        .isEqualTo("/api/v1/devices?tag=ring:canary&tag=site:b");
  }

  @Test
  void aTokenWithoutTheToolsScopeIsRefusedBeforeAnyCall() {
    String readOnly = TestTokens.shared().token("viewer", "default", "tasks:read");
    try (McpSyncClient client = client(readOnly)) {
      CallToolResult result =
          call(client, "create_task", Map.of("device_id", "lab-1", "method_code", "echo"));

      assertThat(result.isError()).isTrue();
      assertThat(text(result)).contains("insufficient scope").contains("tasks:write");
    }
    String writeOnly = TestTokens.shared().token("writer", "default", "tasks:write");
    try (McpSyncClient client = client(writeOnly)) {
      CallToolResult result = call(client, "list_devices", Map.of());
      assertThat(text(result)).contains("insufficient scope");
    }
    assertThat(API.requests()).isEmpty();
  }

  @Test
  void withoutAValidTokenTheEndpointAnswers401() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"));
    HttpResponse<String> none = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    String forged = TestTokens.generate().token("agent", "default", "tasks:read");
    HttpResponse<String> untrusted =
        http.send(
            request.header("Authorization", "Bearer " + forged).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(none.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(none.body()).contains("\"type\":\"urn:iot-async-rpc:problem:unauthorized\"");
    assertThat(untrusted.statusCode()).isEqualTo(401);
    assertThat(untrusted.body()).contains("\"type\":\"urn:iot-async-rpc:problem:invalid-token\"");
  }

  private McpSyncClient client(String token) {
    return McpClients.connect("http://127.0.0.1:" + port, token);
  }
}
