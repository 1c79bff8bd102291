package io.asyncrpc.api.web;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import io.asyncrpc.api.security.SecurityConfiguration;
import io.asyncrpc.web.WebSupportAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Brings the service's problems and strict JSON settings (web-support), HTTP limits and security
 * rules into a {@code WebMvcTest} slice, which loads neither other auto-configurations nor {@code
 * Configuration} classes and scans no configuration properties. Every request of the slice carries
 * a verified token with all API scopes, so the slice tests stay about request validation; tokens
 * themselves are tested against the real service.
 */
@TestConfiguration(proxyBeanMethods = false)
@ImportAutoConfiguration(WebSupportAutoConfiguration.class)
@Import(SecurityConfiguration.class)
@EnableConfigurationProperties(WebProperties.class)
public class WebSliceConfiguration {

  @Bean
  MockMvcBuilderCustomizer authenticatedRequests() {
    return builder ->
        builder.defaultRequest(
            get("/")
                .with(
                    jwt()
                        .jwt(token -> token.subject("slice-client").claim("tenant", "slice"))
                        .authorities(
                            new SimpleGrantedAuthority("SCOPE_tasks:read"),
                            new SimpleGrantedAuthority("SCOPE_tasks:write"),
                            new SimpleGrantedAuthority("SCOPE_devices:admin"))));
  }
}
