package io.asyncrpc.mcp.tool;

import io.asyncrpc.mcp.api.ApiException;
import io.asyncrpc.mcp.security.Caller;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Puts the tools on the MCP server, each wrapped in the checks every call passes before its work: a
 * caller with a token, one of the tool's scopes. A refusal or an API error comes back as a tool
 * error ({@code isError}) with the reason, so the agent can read it and correct itself.
 */
@Component
final class ToolRegistration {

  private static final Logger log = LoggerFactory.getLogger(ToolRegistration.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final List<Tool> tools;

  ToolRegistration(
      McpSyncServer server,
      @Qualifier("mcpServerJsonMapper") JsonMapper json,
      DeviceTools devices,
      TaskTools tasks,
      JobTools jobs,
      ToolPolicy policy) {
    this.tools =
        Stream.of(devices.tools(), tasks.tools(), jobs.tools()).flatMap(List::stream).toList();
    McpJsonMapper mcpJson = new JacksonMcpJsonMapper(json);
    for (Tool tool : tools) {
      server.addTool(specification(tool, mcpJson, policy.dryRun()));
    }
    log.info(
        "{} MCP tools; dry-run {}, device allowlist {}",
        tools.size(),
        policy.dryRun(),
        policy.allowlist().isOpen() ? "off" : policy.allowlist());
  }

  List<Tool> tools() {
    return tools;
  }

  static SyncToolSpecification specification(Tool tool, McpJsonMapper mcpJson, boolean dryRun) {
    String description =
        tool.changesDevices() && dryRun
            ? tool.description() + " DRY-RUN MODE: this server only describes the call."
            : tool.description();
    return SyncToolSpecification.builder()
        .tool(
            io.modelcontextprotocol.spec.McpSchema.Tool.builder(
                    tool.name(), mcpJson, tool.inputSchema())
                .description(
                    description + " Needs scope " + String.join(" or ", tool.anyScope()) + ".")
                .annotations(
                    new ToolAnnotations(
                        null,
                        !tool.changesDevices(),
                        tool.changesDevices(),
                        !tool.changesDevices(),
                        false,
                        null))
                .build())
        .callHandler((exchange, request) -> call(tool, exchange, request))
        .build();
  }

  static CallToolResult call(Tool tool, McpSyncServerExchange exchange, CallToolRequest request) {
    Caller caller = Caller.of(exchange.transportContext());
    if (caller == null) {
      return error("no bearer token came with this request");
    }
    if (!caller.holdsAny(tool.anyScope())) {
      return error(
          "insufficient scope: "
              + tool.name()
              + " needs "
              + String.join(" or ", tool.anyScope())
              + "; nothing was sent");
    }
    try {
      Object result = tool.handler().handle(caller, new Arguments(request.arguments()));
      return CallToolResult.builder()
          .addTextContent(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result))
          .isError(false)
          .build();
    } catch (ToolRefused e) {
      return error("refused: " + e.getMessage());
    } catch (ApiException e) {
      return error("api-service answered " + e.problem().describe());
    } catch (RuntimeException e) {
      log.error("tool {} failed", tool.name(), e);
      return error("internal error of the MCP server; see its log");
    }
  }

  private static CallToolResult error(String message) {
    return CallToolResult.builder().addTextContent(message).isError(true).build();
  }
}
