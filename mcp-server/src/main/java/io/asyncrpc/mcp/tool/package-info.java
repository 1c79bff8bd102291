/**
 * The MCP tools: each names what it does to real devices, checks the caller's scopes and the
 * deployment's device allowlist before any call, and in dry-run mode changes nothing.
 */
@NullMarked
package io.asyncrpc.mcp.tool;

import org.jspecify.annotations.NullMarked;
