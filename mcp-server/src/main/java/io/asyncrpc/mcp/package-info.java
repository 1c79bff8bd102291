/** The MCP server for AI agents: tools over api-service's REST API, with the caller's own token. */
@NullMarked
package io.asyncrpc.mcp;

import org.jspecify.annotations.NullMarked;
