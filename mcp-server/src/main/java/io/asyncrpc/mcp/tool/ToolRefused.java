package io.asyncrpc.mcp.tool;

/** A tool refused its call before reaching api-service: bad arguments, scope or allowlist. */
final class ToolRefused extends RuntimeException {

  ToolRefused(String message) {
    super(message);
  }
}
