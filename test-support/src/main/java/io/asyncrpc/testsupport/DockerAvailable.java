package io.asyncrpc.testsupport;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when a Docker engine answers, so Testcontainers can start containers. */
class DockerAvailable implements Condition {

  @Override
  public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
    return Infrastructure.dockerAvailable();
  }
}
