package io.asyncrpc.mcp.tool;

import io.asyncrpc.mcp.security.Caller;
import java.util.List;

/**
 * One MCP tool: its name, what it does (to real devices, said plainly), its input's JSON Schema,
 * the scopes of which the caller's token needs one, and what it does.
 *
 * @param name the tool's name
 * @param description what the tool does, written for the agent that decides to call it
 * @param inputSchema the JSON Schema of its arguments, as JSON text
 * @param anyScope the token needs at least one of these
 * @param changesDevices whether it changes anything (it does nothing in dry-run mode then)
 * @param handler the work
 */
record Tool(
    String name,
    String description,
    String inputSchema,
    List<String> anyScope,
    boolean changesDevices,
    Handler handler) {

  /** A tool's work; returns what the agent gets as JSON. */
  @FunctionalInterface
  interface Handler {
    Object handle(Caller caller, Arguments arguments);
  }
}
