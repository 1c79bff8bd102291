package io.asyncrpc.ca.enrollment;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Enrollment tokens.
 *
 * @param tokenValidity how long a new enrollment token may be used
 */
@ConfigurationProperties("iot.ca.enrollment")
public record EnrollmentProperties(@DefaultValue("24h") Duration tokenValidity) {}
