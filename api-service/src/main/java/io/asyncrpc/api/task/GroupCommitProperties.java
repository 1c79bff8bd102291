package io.asyncrpc.api.task;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The group commit of new tasks ({@link TaskWriter}).
 *
 * @param queueCapacity most create requests waiting for a writer; beyond it a request is refused at
 *     once with {@code 503} and {@code Retry-After}
 * @param maxBatch most tasks one transaction writes
 * @param writers writer threads, each with its own transaction (and connection) at a time
 */
@ConfigurationProperties("iot.api.tasks.group-commit")
public record GroupCommitProperties(
    @DefaultValue("1024") int queueCapacity,
    @DefaultValue("128") int maxBatch,
    @DefaultValue("2") int writers) {}
