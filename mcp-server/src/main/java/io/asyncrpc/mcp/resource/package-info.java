/** The MCP resources: the device protocol and the method codes of the demo devices. */
@NullMarked
package io.asyncrpc.mcp.resource;

import org.jspecify.annotations.NullMarked;
