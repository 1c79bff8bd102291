package io.asyncrpc.mcp.tool;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the tools of this deployment may do.
 *
 * @param dryRun true: the tools that change something (create_task, cancel_task, create_job)
 *     describe the call they would make and make none; reads still run
 * @param allowedDevices device ids or patterns ({@code *} matches any run of characters, e.g.
 *     {@code lab-*}) the tools may touch; empty: every device of the caller's tenant
 * @param maxTagDevices with an allowlist, the most devices a create_job tag target may resolve to
 *     (each is checked against the allowlist)
 */
@ConfigurationProperties("iot.mcp")
public record ToolProperties(
    @DefaultValue("false") boolean dryRun,
    @DefaultValue List<String> allowedDevices,
    @DefaultValue("1000") int maxTagDevices) {}
