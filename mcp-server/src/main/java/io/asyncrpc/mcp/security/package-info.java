/**
 * The server is an OAuth2 resource server with api-service's token rules; the caller's token and
 * scopes go with each MCP request to its tools.
 */
@NullMarked
package io.asyncrpc.mcp.security;

import org.jspecify.annotations.NullMarked;
