package io.asyncrpc.api.job;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the jobs API.
 *
 * @param maxTargets most devices one job may target (a tag selecting more is refused)
 */
@Validated
@ConfigurationProperties("iot.jobs")
record JobProperties(@DefaultValue("100000") @Min(1) int maxTargets) {}
