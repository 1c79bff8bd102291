/** The MCP resources: the device protocol and the method codes of the demo devices. */
package io.asyncrpc.mcp.resource;
