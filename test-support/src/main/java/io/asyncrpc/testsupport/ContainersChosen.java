package io.asyncrpc.testsupport;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when this run uses Testcontainers ({@link Infrastructure#usesContainers()}). */
class ContainersChosen implements Condition {

  @Override
  public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
    return Infrastructure.usesContainers();
  }
}
