package io.asyncrpc.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Northbound REST service: control-center apps create tasks, follow them and manage devices. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class ApiServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(ApiServiceApplication.class, args);
  }
}
