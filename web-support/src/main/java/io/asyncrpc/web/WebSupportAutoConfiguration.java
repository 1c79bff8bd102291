package io.asyncrpc.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Problem+json for every error of a servlet service, strict JSON, OpenAPI defaults and Tomcat's
 * error reports, from {@link WebSupportProperties} ({@code iot.web.*}).
 *
 * <p>An auto-configuration rather than a configuration each service imports: depending on the
 * module is then all a service does to answer errors like the others (a forgotten import, or a
 * copy, is how the services drifted apart), a slice test brings it in by name ({@code
 * ImportAutoConfiguration}), and a service replaces one piece by declaring a bean of its type. Its
 * conditions keep it off where there is no servlet web application, so core-service (AMQP only) can
 * depend on this module for {@link io.asyncrpc.web.logging.LogContext} and get neither an error
 * controller nor a stricter JSON mapper.
 */
@AutoConfiguration(before = {WebMvcAutoConfiguration.class, ErrorMvcAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@EnableConfigurationProperties(WebSupportProperties.class)
@Import({JsonConfiguration.class, OpenApiConfiguration.class, TomcatProblemConfiguration.class})
public class WebSupportAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ProblemHandler problemHandler(WebSupportProperties properties) {
    return new ProblemHandler(properties);
  }

  /** Before Boot's error configuration, whose whitelabel controller backs off for this one. */
  @Bean
  @ConditionalOnMissingBean(ErrorController.class)
  ProblemErrorController problemErrorController(WebSupportProperties properties) {
    return new ProblemErrorController(properties);
  }
}
