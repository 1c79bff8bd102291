package io.asyncrpc.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;

/** MCP Java SDK clients of a server, each with its own bearer token, as an agent connects. */
public final class McpClients {

  private McpClients() {}

  /** An initialized client of {@code baseUrl}/mcp sending {@code token}. */
  public static McpSyncClient connect(String baseUrl, String token) {
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder(baseUrl)
            .endpoint("/mcp")
            .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
            .build();
    McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(90)).build();
    client.initialize();
    return client;
  }

  public static CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
    return client.callTool(CallToolRequest.builder(tool).arguments(args).build());
  }

  /** The text of a tool result (the tools answer with one text part). */
  public static String text(CallToolResult result) {
    return ((TextContent) result.content().getFirst()).text();
  }
}
