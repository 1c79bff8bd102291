package io.asyncrpc.web;

import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * Strict JSON: snake_case names, unknown fields, fields given twice and wrong types are errors
 * rather than silently ignored or coerced ({@code "5"} is not a priority, {@code 5.5} is not a
 * ttl); and JSON only.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(JsonMapperBuilderCustomizer.class)
class JsonConfiguration {

  @Bean
  JsonMapperBuilderCustomizer strictJson() {
    return builder ->
        builder
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // {"device_id":"a","device_id":"b"} is refused, not read as its last value (in a
            // task's payload too: jsonb would keep the last one silently).
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            // Untyped numbers keep their value (1e400 is not Infinity, 0.1 not
            // 0.1000000000000000055).
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // A number or boolean is not a string either ({"device_id": 7} is a type error).
            .withCoercionConfig(
                LogicalType.Textual,
                config ->
                    config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
  }

  /**
   * Bodies are JSON only. Spring registers a YAML (and an XML) reader when the library is on the
   * classpath, as springdoc puts Jackson 2's YAML there: a YAML body was then read by a mapper
   * without the rules above (unknown fields ignored). Without those readers such a body is a {@code
   * 415} naming the JSON type.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ServerHttpMessageConvertersCustomizer.class)
  static class JsonBodiesOnly {

    private static final List<MediaType> OTHER_FORMATS =
        List.of(
            MediaType.APPLICATION_YAML,
            MediaType.APPLICATION_XML,
            MediaType.TEXT_XML,
            MediaType.APPLICATION_CBOR,
            MediaType.parseMediaType("application/x-jackson-smile"));

    @Bean
    ServerHttpMessageConvertersCustomizer jsonBodiesOnly() {
      return builder ->
          builder.configureMessageConvertersList(
              converters -> converters.removeIf(JsonBodiesOnly::readsAnotherFormat));
    }

    private static boolean readsAnotherFormat(HttpMessageConverter<?> converter) {
      return converter.getSupportedMediaTypes().stream()
          .anyMatch(
              type ->
                  OTHER_FORMATS.stream().anyMatch(type::isCompatibleWith)
                      && !type.isWildcardType());
    }
  }
}
