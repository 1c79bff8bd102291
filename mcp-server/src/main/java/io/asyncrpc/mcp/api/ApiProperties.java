package io.asyncrpc.mcp.api;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where api-service is.
 *
 * @param url api-service's base URL (the {@code /api/v1} paths are added); required outside the
 *     local profile
 * @param timeout read timeout of one call: longer than the longest wait a tool may ask for (60 s)
 */
@ConfigurationProperties("iot.mcp.api")
public record ApiProperties(
    @DefaultValue("http://127.0.0.1:8080") URI url, @DefaultValue("75s") Duration timeout) {}
