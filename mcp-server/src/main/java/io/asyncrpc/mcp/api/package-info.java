/** The calls to api-service's REST API, made with the caller's own bearer token. */
@NullMarked
package io.asyncrpc.mcp.api;

import org.jspecify.annotations.NullMarked;
