/** The MCP server for AI agents: tools over api-service's REST API, with the caller's own token. */
package io.asyncrpc.mcp;
