package io.asyncrpc.mcp.security;

import io.modelcontextprotocol.common.McpTransportContext;
import java.util.Collection;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who calls a tool: the bearer token it came with (passed on to api-service unchanged) and the
 * scopes in it (checked here first, so a tool the token may not use calls nothing).
 *
 * @param token the raw JWT
 * @param scopes the token's {@code scope} values
 */
public record Caller(String token, Set<String> scopes) {

  /** The key of the caller in an MCP request's transport context. */
  public static final String CONTEXT_KEY = "iot.caller";

  public Caller {
    scopes = Set.copyOf(scopes);
  }

  /** Whether the token holds at least one of {@code anyOf}. */
  public boolean holdsAny(Collection<String> anyOf) {
    return anyOf.stream().anyMatch(scopes::contains);
  }

  /** The caller of an MCP request, or null when the request carried none. */
  public static @Nullable Caller of(McpTransportContext context) {
    return context.get(CONTEXT_KEY) instanceof Caller caller ? caller : null;
  }
}
