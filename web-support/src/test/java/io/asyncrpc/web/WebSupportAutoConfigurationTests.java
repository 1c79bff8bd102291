package io.asyncrpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Tests for {@link WebSupportAutoConfiguration}. */
class WebSupportAutoConfigurationTests {

  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  WebSupportAutoConfiguration.class,
                  JacksonAutoConfiguration.class,
                  DispatcherServletAutoConfiguration.class,
                  WebMvcAutoConfiguration.class,
                  ErrorMvcAutoConfiguration.class));

  @Test
  void aServletServiceGetsTheProblemsTheJsonSettingsAndTheDocument() {
    web.run(
        context -> {
          assertThat(context).hasSingleBean(ProblemHandler.class);
          assertThat(context).hasSingleBean(ResponseEntityExceptionHandler.class);
          assertThat(context).hasBean("strictJson");
          assertThat(context).hasSingleBean(OpenAPI.class);
          assertThat(context).hasSingleBean(TomcatProblemConfiguration.class);
          assertThat(context.getBean(WebSupportProperties.class).retryAfterHeader()).isEqualTo("5");
        });
  }

  @Test
  void theWhitelabelErrorControllerBacksOffForTheProblemOne() {
    web.run(
        context ->
            assertThat(context.getBeansOfType(ErrorController.class).values())
                .singleElement()
                .isInstanceOf(ProblemErrorController.class));
  }

  @Test
  void anApplicationThatIsNotAServletWebAppGetsNothing() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                WebSupportAutoConfiguration.class, JacksonAutoConfiguration.class))
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(ProblemHandler.class);
              assertThat(context).doesNotHaveBean("strictJson");
              assertThat(context).doesNotHaveBean(WebSupportProperties.class);
            });
  }

  @Test
  void aServiceOwnDocumentReplacesTheDefaultOne() {
    OpenAPI own = new OpenAPI();
    web.withBean(OpenAPI.class, () -> own)
        .run(context -> assertThat(context.getBean(OpenAPI.class)).isSameAs(own));
  }
}
