/** The calls to api-service's REST API, made with the caller's own bearer token. */
package io.asyncrpc.mcp.api;
