package io.asyncrpc.web;

import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/** Makes Tomcat's own error reports problems too (see {@link ProblemErrorReportValve}). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({Tomcat.class, TomcatServletWebServerFactory.class})
class TomcatProblemConfiguration {

  /** Runs after Spring Boot's customizer, which installs the HTML report valve this replaces. */
  @Bean
  @Order(Ordered.LOWEST_PRECEDENCE)
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
    return factory ->
        factory.addContextCustomizers(
            context -> {
              if (context.getParent() instanceof StandardHost host) {
                Pipeline pipeline = host.getPipeline();
                for (Valve valve : pipeline.getValves()) {
                  if (valve instanceof ErrorReportValve) {
                    pipeline.removeValve(valve);
                  }
                }
                // The host adds a valve of this class when it starts.
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
              }
            });
  }
}
