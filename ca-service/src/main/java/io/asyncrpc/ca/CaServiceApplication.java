package io.asyncrpc.ca;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The owner of identities: device certificates, their revocation, and control-center JWTs. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class CaServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(CaServiceApplication.class, args);
  }
}
