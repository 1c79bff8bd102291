package io.asyncrpc.systemtests.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.systemtests.AgentCli;
import io.asyncrpc.systemtests.edge.TestEdge;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import io.asyncrpc.testsupport.TestTokens;
import io.asyncrpc.testsupport.process.ServiceProcess;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Verifies the MCP server the way an AI agent meets it: the MCP Java SDK's client talks streamable
 * HTTP through the edge (nginx, {@code https://…/mcp}, the JWT checked there first) to the packaged
 * mcp-server, which calls the packaged api-service with the agent's own token; core-service
 * delivers the task to a device agent over MQTT 5 and the result comes back as the tool's answer. A
 * second mcp-server runs in dry-run mode, reached directly (the edge fronts one mcp-server).
 */
class McpEndToEndIT {

  private static final Duration LIFECYCLE = Duration.ofSeconds(45);
  private static final String TENANT = "system-tests";
  private static final String ALLOWED = "mcp-e2e-*";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final List<ServiceProcess> processes = new ArrayList<>();
  private static ApiClient api;
  private static TestEdge edge;
  private static String mcpUrl;
  private static String dryRunUrl;
  private static String device;
  private static ServiceProcess agent;

  @BeforeAll
  static void startEverything() {
    Endpoints endpoints = Infrastructure.endpoints();
    int apiPort = ServiceProcess.freePort();
    int corePort = ServiceProcess.freePort();
    int mcpPort = ServiceProcess.freePort();
    int dryRunPort = ServiceProcess.freePort();
    // Started together, awaited after: four JVMs start faster side by side than in a row.
    ServiceProcess apiService =
        start(
            ServiceProcess.of("api-service").port(apiPort).against(endpoints).trustingTestTokens());
    ServiceProcess core =
        start(ServiceProcess.of("core-service").port(corePort).against(endpoints));
    ServiceProcess mcp = start(mcp(mcpPort, apiPort, false));
    ServiceProcess dryRun = start(mcp(dryRunPort, apiPort, true).name("mcp-server-dry-run"));
    for (ServiceProcess service : List.of(apiService, core, mcp, dryRun)) {
      service.awaitHealthy();
    }
    api = ApiClient.forTenant("http://127.0.0.1:" + apiPort + "/api/v1", TENANT);
    try {
      edge =
          TestEdge.inFrontOf(
              "mcp-e2e", apiPort, Map.of("IOTCORE_NGINX_MCP_UPSTREAM", "127.0.0.1:" + mcpPort));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    mcpUrl = edge.baseUrl();
    dryRunUrl = "http://127.0.0.1:" + dryRunPort;

    device = register("mcp-e2e-");
    agent = start(AgentCli.device("agent-" + device, device));
  }

  @AfterAll
  static void stopEverything() {
    if (edge != null) {
      edge.close();
    }
    processes.reversed().forEach(ServiceProcess::close);
  }

  @Test
  void anAgentListsTheToolsAndTheResources() {
    try (McpSyncClient client = connect(mcpUrl, token("tasks:read", "tasks:write"))) {
      assertThat(client.listTools().tools())
          .extracting(Tool::name)
          .contains(
              "list_devices",
              "get_device",
              "create_task",
              "get_task",
              "cancel_task",
              "list_device_events",
              "get_device_state",
              "create_job",
              "get_job");
      assertThat(client.listResources().resources())
          .extracting(Resource::uri)
          .contains("iot://protocol/device-protocol", "iot://protocol/method-codes");
    }
  }

  @Test
  void aTaskSentThroughMcpRunsOnTheDeviceAndItsResultComesBack() {
    await().atMost(LIFECYCLE).until(() -> agent.logText().contains("connected"));
    try (McpSyncClient client = connect(mcpUrl, token("tasks:read", "tasks:write"))) {
      CallToolResult created =
          call(
              client,
              "create_task",
              Map.of(
                  "device_id",
                  device,
                  "method_code",
                  "sum",
                  "payload",
                  Map.of("values", List.of(1, 2, 3, 4)),
                  "wait_seconds",
                  30));
      JsonNode task = json(created);

      assertThat(task.get("status").asString()).as(agent.logTail()).isEqualTo("DONE");
      assertThat(task.get("result").get("sum").asInt()).isEqualTo(10);

      JsonNode read = json(call(client, "get_task", Map.of("task_id", task.get("id").asString())));
      assertThat(read.get("result").get("sum").asInt()).isEqualTo(10);
      JsonNode devices = json(call(client, "list_devices", Map.of()));
      assertThat(devices.get("items").valueStream().map(d -> d.get("id").asString()))
          .contains(device)
          .allMatch(id -> id.startsWith("mcp-e2e-"));
    }
  }

  @Test
  void aDeviceOutsideTheAllowlistIsRefusedAndGetsNoTask() {
    String outside = register("other-");
    try (McpSyncClient client = connect(mcpUrl, token("tasks:read", "tasks:write"))) {
      CallToolResult refused =
          call(client, "create_task", Map.of("device_id", outside, "method_code", "echo"));

      assertThat(refused.isError()).isTrue();
      assertThat(text(refused)).contains(outside + " is outside").contains(ALLOWED);
    }
    assertThat(api.get("/tasks?device_id=" + outside).body().get("items")).isEmpty();
  }

  @Test
  void aTokenWithoutTheScopeIsRefused() {
    try (McpSyncClient readOnly = connect(mcpUrl, token("tasks:read"))) {
      CallToolResult refused =
          call(readOnly, "create_task", Map.of("device_id", device, "method_code", "echo"));
      assertThat(refused.isError()).isTrue();
      assertThat(text(refused)).contains("insufficient scope").contains("tasks:write");
    }
    // A token with none of the tools' scopes stops at the edge, before mcp-server.
    assertThat(rawToolsList(token()).status()).as(edge.errorLog()).isEqualTo(403);
    assertThat(rawToolsList(null).status()).as(edge.errorLog()).isEqualTo(401);
  }

  /** {@code tools/list} posted through the edge as plain HTTP, with {@code token} or none. */
  private static ApiClient.Answer rawToolsList(String token) {
    return edge.client()
        .withToken(token)
        .send(
            "POST",
            "/mcp",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
            Map.of("Accept", "application/json, text/event-stream"));
  }

  @Test
  void aDryRunDescribesTheTaskAndCreatesNone() {
    int before = api.get("/tasks?device_id=" + device + "&limit=200").body().get("items").size();
    try (McpSyncClient client = connect(dryRunUrl, token("tasks:read", "tasks:write"))) {
      CallToolResult described =
          call(client, "create_task", Map.of("device_id", device, "method_code", "echo"));

      assertThat(described.isError()).as(text(described)).isFalse();
      assertThat(json(described).get("dry_run").asBoolean()).isTrue();
      assertThat(json(described).get("would_call").asString()).isEqualTo("POST /api/v1/tasks");
    }
    assertThat(api.get("/tasks?device_id=" + device + "&limit=200").body().get("items"))
        .hasSize(before);
  }

  private static ServiceProcess start(ServiceProcess.Builder builder) {
    ServiceProcess process = builder.start();
    processes.add(process);
    return process;
  }

  private static ServiceProcess.Builder mcp(int port, int apiPort, boolean dryRun) {
    return ServiceProcess.of("mcp-server")
        .port(port)
        .trustingTestTokens()
        .args(
            "--iot.mcp.api.url=http://127.0.0.1:" + apiPort,
            "--iot.mcp.allowed-devices=" + ALLOWED,
            "--iot.mcp.dry-run=" + dryRun);
  }

  private static String register(String prefix) {
    String id = prefix + UUID.randomUUID().toString().substring(0, 8);
    ApiClient.Answer answer = api.post("/devices", Map.of("id", id, "display_name", "mcp"));
    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(201);
    return id;
  }

  private static String token(String... scopes) {
    return TestTokens.shared().token(TENANT, TENANT, scopes);
  }

  private static McpSyncClient connect(String baseUrl, String token) {
    HttpClient.Builder http = HttpClient.newBuilder();
    if (baseUrl.startsWith("https:")) {
      http.sslContext(edge.trust());
    }
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder(baseUrl)
            .clientBuilder(http)
            .endpoint("/mcp")
            .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
            .build();
    McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(90)).build();
    client.initialize();
    return client;
  }

  private static CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
    return client.callTool(CallToolRequest.builder(tool).arguments(args).build());
  }

  private static String text(CallToolResult result) {
    return ((TextContent) result.content().getFirst()).text();
  }

  private static JsonNode json(CallToolResult result) {
    assertThat(result.isError()).as(text(result)).isFalse();
    return JSON.readTree(text(result));
  }
}
