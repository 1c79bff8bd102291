package io.asyncrpc.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * scripts/lib/stack.env is the one definition of the local environment's ports, databases and
 * development logins. What cannot read it (the services' application.yml and code defaults, the
 * broker configuration that the container deployments mount unchanged) must agree with it.
 */
class StackEnvTests {

  private static final Map<String, String> ENV = Infrastructure.stackEnv();
  private static final String HOST = ENV.get("STACK_HOST");

  /** module -> its port setting in stack.env */
  private static final Map<String, String> SERVICES =
      Map.of(
          "api-service",
          "API_PORT",
          "core-service",
          "CORE_PORT",
          "ca-service",
          "CA_PORT",
          "mcp-server",
          "MCP_PORT");

  @Test
  void stackEnvDefinesWhatTheScriptsAndTestsRead() {
    assertThat(ENV)
        .containsKeys(
            "STACK_HOST",
            "PG_PORT",
            "PG_ROLE",
            "PG_PASSWORD",
            "PG_DATABASE",
            "PG_TEST_DATABASE",
            "RMQ_NODE",
            "RMQ_AMQP_PORT",
            "RMQ_MQTT_PORT",
            "RMQ_MQTT_TLS_PORT",
            "RMQ_HTTP_PORT",
            "RMQ_DIST_PORT",
            "RMQ_USER",
            "RMQ_PASSWORD",
            "RMQ_DEV_USER",
            "RMQ_DEV_PASSWORD",
            "API_PORT",
            "CORE_PORT",
            "CA_PORT",
            "MCP_PORT",
            "EDGE_PORT",
            "FAULTS_PG_PORT",
            "FAULTS_NODE_PREFIX",
            "FAULTS_AMQP_BASE");
    List<Integer> ports =
        ENV.entrySet().stream()
            .filter(e -> e.getKey().endsWith("_PORT"))
            .map(e -> Integer.parseInt(e.getValue()))
            .toList();
    assertThat(ports).allMatch(p -> p > 0 && p < 65536).doesNotHaveDuplicates();
  }

  @Test
  void theParserAcceptsOnlyWhatBashReadsAlike() {
    assertThat(Infrastructure.parseStackEnv("# c\n\nA=1\nB_2=x@y:z/w\nC=\n", "t"))
        .containsExactly(Map.entry("A", "1"), Map.entry("B_2", "x@y:z/w"), Map.entry("C", ""));
    for (String bad :
        List.of("A='1'", "A=\"1\"", "A=$B", "A=${B:-1}", "export A=1", "A = 1", "A=1 2", "a=1")) {
      assertThatThrownBy(() -> Infrastructure.parseStackEnv(bad + "\n", "t"))
          .as(bad)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("t:1");
    }
    assertThatThrownBy(() -> Infrastructure.parseStackEnv("A=1\nA=2\n", "t"))
        .hasMessageContaining("A twice");
  }

  @Test
  void theContainerConfigurationSetsItsOwnPortsWhateverTheFileSays() {
    String conf =
        """
        # ports
        listeners.tcp.default = 5673
        management.tcp.port = 15673
        mqtt.listeners.tcp.default = 1884
        load_definitions = /etc/rabbitmq/definitions.json
        mqtt.prefetch = 10
        log.file = false
        log.console = true
        """;
    Map<String, List<String>> settings = settings(Infrastructure.containerConfig(conf));

    assertThat(settings.get("listeners.tcp.default")).containsExactly("5672");
    assertThat(settings.get("management.tcp.port")).containsExactly("15672");
    assertThat(settings.get("mqtt.listeners.tcp.default")).containsExactly("1883");
    assertThat(settings.get("load_definitions"))
        .containsExactly(Infrastructure.CONTAINER_DEFINITIONS);
    assertThat(settings.get("mqtt.prefetch")).containsExactly("10");
    assertThat(settings.get("log.console")).containsExactly("true");
    assertThat(settings).doesNotContainKey("log.file");
  }

  @Test
  void theRepositorysBrokerConfigurationRendersForAContainer() {
    String conf = read(RepositoryFiles.find("rabbitmq/rabbitmq.conf"));
    Map<String, List<String>> settings = settings(Infrastructure.containerConfig(conf));

    assertThat(settings.get("listeners.tcp.default")).containsExactly("5672");
    assertThat(settings.get("management.tcp.port")).containsExactly("15672");
    assertThat(settings.get("mqtt.listeners.tcp.default")).containsExactly("1883");
    assertThat(settings.get("mqtt.allow_anonymous")).containsExactly("false");
  }

  /**
   * Compose and Kubernetes mount rabbitmq/ unchanged and reach the broker on these ports (the local
   * stack sets its own from stack.env in a conf.d override); they are the same numbers.
   */
  @Test
  void theBrokerConfigurationsPortsAreStackEnvs() {
    Map<String, List<String>> conf = settings(read(RepositoryFiles.find("rabbitmq/rabbitmq.conf")));
    Map<String, List<String>> tls =
        settings(read(RepositoryFiles.find("rabbitmq/conf.d/10-mqtt-tls.conf")));

    assertPort(conf, "listeners.tcp.default", "RMQ_AMQP_PORT");
    assertPort(conf, "management.tcp.port", "RMQ_HTTP_PORT");
    assertPort(conf, "mqtt.listeners.tcp.default", "RMQ_MQTT_PORT");
    assertPort(tls, "mqtt.listeners.ssl.default", "RMQ_MQTT_TLS_PORT");
  }

  /** The services' local defaults (application.yml) are the local stack's values. */
  @Test
  void theServicesLocalDefaultsAreStackEnvs() {
    for (Map.Entry<String, String> service : SERVICES.entrySet()) {
      Path yml = RepositoryFiles.find(service.getKey() + "/src/main/resources/application.yml");
      List<Map<String, String>> documents = YamlKeys.documents(read(yml));
      int checked = 0;
      for (Map<String, String> doc : documents) {
        checked += check(doc, "server.port", ENV.get(service.getValue()), yml);
        String jdbc = resolved(doc.get("spring.datasource.url"));
        if (jdbc != null && jdbc.startsWith("jdbc:postgresql://" + HOST)) {
          checked +=
              check(
                  doc,
                  "spring.datasource.url",
                  "jdbc:postgresql://"
                      + HOST
                      + ":"
                      + ENV.get("PG_PORT")
                      + "/"
                      + ENV.get("PG_DATABASE"),
                  yml);
          checked += check(doc, "spring.datasource.username", ENV.get("PG_ROLE"), yml);
          checked += check(doc, "spring.datasource.password", ENV.get("PG_PASSWORD"), yml);
        }
        if (HOST.equals(resolved(doc.get("spring.rabbitmq.host")))) {
          checked += check(doc, "spring.rabbitmq.port", ENV.get("RMQ_AMQP_PORT"), yml);
          checked += check(doc, "spring.rabbitmq.username", ENV.get("RMQ_USER"), yml);
          checked += check(doc, "spring.rabbitmq.password", ENV.get("RMQ_PASSWORD"), yml);
        }
        checked += checkUrlPort(doc, "iot.security.jwk-set-uri", "CA_PORT", yml);
        checked += checkUrlPort(doc, "iot.mcp.api.url", "API_PORT", yml);
        checked += checkUrlPort(doc, "iot.ca.crl-url", "CA_PORT", yml);
        checked += checkUrlPort(doc, "iot.ca.broker.management-url", "RMQ_HTTP_PORT", yml);
        checked += check(doc, "iot.ca.broker.username", ENV.get("RMQ_USER"), yml);
        checked += check(doc, "iot.ca.broker.password", ENV.get("RMQ_PASSWORD"), yml);
      }
      assertThat(checked).as("settings of %s checked", yml).isPositive();
    }
  }

  /**
   * Every loopback address:port written in a service's main code or resources is one of the local
   * environment's ports (a default that drifted from stack.env would point nowhere).
   */
  @Test
  void loopbackPortsInTheServicesAreStackEnvPorts() throws IOException {
    Set<String> known =
        ENV.entrySet().stream()
            .filter(e -> e.getKey().endsWith("_PORT"))
            .map(Map.Entry::getValue)
            .collect(Collectors.toSet());
    Pattern loopback = Pattern.compile("(?:127\\.0\\.0\\.1|localhost):(\\d{2,5})\\b");
    Set<String> unknown = new TreeSet<>();
    for (String service : SERVICES.keySet()) {
      Path main = RepositoryFiles.find(service + "/src/main");
      try (Stream<Path> files = Files.walk(main)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          String name = file.getFileName().toString();
          if (!(name.endsWith(".java") || name.endsWith(".yml") || name.endsWith(".properties"))) {
            continue;
          }
          Matcher m = loopback.matcher(read(file));
          while (m.find()) {
            if (!known.contains(m.group(1))) {
              unknown.add(main.relativize(file) + ": " + m.group());
            }
          }
        }
      }
    }
    assertThat(unknown).as("loopback ports not in %s", Infrastructure.STACK_ENV).isEmpty();
  }

  @Test
  void theYamlReaderFlattensBlockMappings() {
    String yml =
        """
        # comment
        a:
          b: 1 # trailing
          c:
            d: "x"
          text: >-
            folded: not a key
          list:
            - item: 1
          e: ${X:8080}
        ---
        a:
          b: 2
        """;
    List<Map<String, String>> docs = YamlKeys.documents(yml);
    assertThat(docs).hasSize(2);
    assertThat(docs.get(0))
        .containsEntry("a.b", "1")
        .containsEntry("a.c.d", "x")
        .containsEntry("a.e", "${X:8080}")
        .doesNotContainKey("a.text.folded")
        .doesNotContainKey("a.list.item");
    assertThat(resolved(docs.get(0).get("a.e"))).isEqualTo("8080");
    assertThat(docs.get(1)).containsEntry("a.b", "2");
  }

  private static int check(Map<String, String> doc, String key, String expected, Path yml) {
    String value = resolved(doc.get(key));
    if (value == null || value.isEmpty()) {
      return 0;
    }
    assertThat(value).as("%s in %s (%s)", key, yml, Infrastructure.STACK_ENV).isEqualTo(expected);
    return 1;
  }

  private static int checkUrlPort(Map<String, String> doc, String key, String setting, Path yml) {
    String value = resolved(doc.get(key));
    if (value == null || value.isEmpty() || !value.contains("//" + HOST + ":")) {
      return 0;
    }
    assertThat(String.valueOf(URI.create(value).getPort()))
        .as("port of %s in %s (%s %s)", key, yml, Infrastructure.STACK_ENV, setting)
        .isEqualTo(ENV.get(setting));
    return 1;
  }

  private static void assertPort(Map<String, List<String>> conf, String key, String setting) {
    assertThat(conf.get(key)).as(key).isNotNull().hasSize(1);
    String value = conf.get(key).get(0);
    assertThat(value.substring(value.lastIndexOf(':') + 1))
        .as("%s (%s %s)", key, Infrastructure.STACK_ENV, setting)
        .isEqualTo(ENV.get(setting));
  }

  /** The default of a Spring placeholder ({@code ${NAME:default}}), or the value itself. */
  private static String resolved(String value) {
    if (value != null && value.startsWith("${") && value.endsWith("}")) {
      int colon = value.indexOf(':');
      return colon < 0 ? null : value.substring(colon + 1, value.length() - 1);
    }
    return value;
  }

  /** rabbitmq.conf settings: key -> values in file order. */
  private static Map<String, List<String>> settings(String conf) {
    Map<String, List<String>> settings = new LinkedHashMap<>();
    for (String line : conf.lines().toList()) {
      String key = Infrastructure.confKey(line);
      if (!key.isEmpty()) {
        String value = line.substring(line.indexOf('=') + 1).strip();
        settings.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
      }
    }
    return settings;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The scalar keys of a YAML file's documents, flattened to {@code a.b.c}: block mappings only, as
   * the services' application.yml are written. Lists and block scalars are skipped.
   */
  static final class YamlKeys {

    private static final Pattern ENTRY = Pattern.compile("^( *)([^\\s#:][^:#]*?):(?:\\s+(.*))?$");

    private YamlKeys() {}

    static List<Map<String, String>> documents(String yml) {
      List<Map<String, String>> documents = new ArrayList<>();
      Map<String, String> current = new LinkedHashMap<>();
      List<Integer> indents = new ArrayList<>();
      List<String> path = new ArrayList<>();
      int skipDeeperThan = -1;
      for (String raw : yml.lines().toList()) {
        if (raw.equals("---")) {
          documents.add(current);
          current = new LinkedHashMap<>();
          indents.clear();
          path.clear();
          skipDeeperThan = -1;
          continue;
        }
        String line = raw.stripTrailing();
        if (line.isBlank() || line.strip().startsWith("#")) {
          continue;
        }
        int indent = line.length() - line.stripLeading().length();
        if (skipDeeperThan >= 0) {
          if (indent > skipDeeperThan) {
            continue;
          }
          skipDeeperThan = -1;
        }
        if (line.strip().startsWith("- ") || line.strip().equals("-")) {
          skipDeeperThan = indent;
          continue;
        }
        Matcher m = ENTRY.matcher(line);
        if (!m.matches()) {
          continue;
        }
        while (!indents.isEmpty() && indents.get(indents.size() - 1) >= indent) {
          indents.remove(indents.size() - 1);
          path.remove(path.size() - 1);
        }
        String key = m.group(2).strip();
        String value = m.group(3) == null ? "" : stripComment(m.group(3));
        if (value.isEmpty()) {
          indents.add(indent);
          path.add(key);
        } else if (value.startsWith("|") || value.startsWith(">")) {
          skipDeeperThan = indent;
        } else {
          current.put(String.join(".", path) + (path.isEmpty() ? "" : ".") + key, unquote(value));
        }
      }
      documents.add(current);
      return documents;
    }

    private static String stripComment(String value) {
      if (value.startsWith("\"") || value.startsWith("'")) {
        return value.strip();
      }
      int hash = value.indexOf(" #");
      return (hash < 0 ? value : value.substring(0, hash)).strip();
    }

    private static String unquote(String value) {
      if (value.length() >= 2
          && (value.startsWith("\"") && value.endsWith("\"")
              || value.startsWith("'") && value.endsWith("'"))) {
        return value.substring(1, value.length() - 1);
      }
      return value;
    }
  }
}
