package io.asyncrpc.mcp.tool;

import io.asyncrpc.mcp.security.Caller;
import io.asyncrpc.mcp.security.SecurityConfiguration;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import java.util.Map;
import org.springframework.ai.mcp.server.common.autoconfigure.properties.McpServerStreamableHttpProperties;
import org.springframework.ai.mcp.server.webmvc.transport.WebMvcStreamableServerTransportProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The streamable HTTP transport, as Spring AI configures it, plus the one thing its tools need from
 * each HTTP request: the caller (token and scopes) Spring Security verified on it. The caller is
 * taken per request, not per MCP session, so every tool call runs with the token it came with.
 */
@Configuration(proxyBeanMethods = false)
class TransportConfiguration {

  @Bean
  WebMvcStreamableServerTransportProvider webMvcStreamableServerTransportProvider(
      @Qualifier("mcpServerJsonMapper") JsonMapper json,
      McpServerStreamableHttpProperties properties) {
    return WebMvcStreamableServerTransportProvider.builder()
        .jsonMapper(new JacksonMcpJsonMapper(json))
        .mcpEndpoint(properties.getMcpEndpoint())
        .keepAliveInterval(properties.getKeepAliveInterval())
        .disallowDelete(properties.isDisallowDelete())
        .contextExtractor(
            request -> {
              Caller caller =
                  SecurityConfiguration.callerOf(request.servletRequest().getUserPrincipal());
              return caller == null
                  ? McpTransportContext.EMPTY
                  : McpTransportContext.create(Map.of(Caller.CONTEXT_KEY, caller));
            })
        .build();
  }
}
