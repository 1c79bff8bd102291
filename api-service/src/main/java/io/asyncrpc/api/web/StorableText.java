package io.asyncrpc.api.web;

import io.asyncrpc.task.model.JsonbLimits;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A string PostgreSQL can store as it is: no U+0000 and no unpaired surrogate; null is valid. */
@Documented
@Constraint(validatedBy = StorableText.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface StorableText {

  String message() default StorableJson.TEXT;

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** Checks {@link StorableText}. */
  class Validator implements ConstraintValidator<StorableText, String> {

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      return value == null || JsonbLimits.isStorableText(value);
    }
  }
}
