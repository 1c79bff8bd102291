package io.asyncrpc.ca.client;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The first admin client, made (or its secret reset) at start-up, so an empty installation can be
 * administered. There is no default secret: outside the {@code local} profile start-up fails
 * without one; in {@code local} the client is skipped when none is given.
 *
 * @param id its client id (env {@code IOTCORE_BOOTSTRAP_CLIENT_ID})
 * @param secret its secret (env {@code IOTCORE_BOOTSTRAP_CLIENT_SECRET})
 * @param tenant its tenant (env {@code IOTCORE_BOOTSTRAP_CLIENT_TENANT}); clients of this tenant
 *     may create clients in any tenant (the operator)
 * @param scopes its scopes (env {@code IOTCORE_BOOTSTRAP_CLIENT_SCOPES}, comma-separated)
 */
@ConfigurationProperties("iot.ca.bootstrap-client")
public record BootstrapClientProperties(
    String id,
    String secret,
    @DefaultValue("default") String tenant,
    @DefaultValue({"tasks:read", "tasks:write", "devices:admin", "clients:admin", "webhooks:admin"})
        List<String> scopes) {}
