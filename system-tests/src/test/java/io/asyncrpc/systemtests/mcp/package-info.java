/** The MCP server end to end: an MCP client, the server, the API, the core and a device agent. */
package io.asyncrpc.systemtests.mcp;
