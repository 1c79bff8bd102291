package io.asyncrpc.api.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * HTTP limits of the API; the {@code Retry-After} of its {@code 503}s is the shared {@code
 * iot.web.retry-after} ({@link io.asyncrpc.web.WebSupportProperties}).
 *
 * @param maxRequestSize largest request body accepted; larger ones get {@code 413} before parsing
 */
@ConfigurationProperties("iot.api.web")
public record WebProperties(@DefaultValue("256KB") DataSize maxRequestSize) {}
