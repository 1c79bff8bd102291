package io.asyncrpc.testsupport;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * The real PostgreSQL and RabbitMQ for this test JVM, started once.
 *
 * <p>{@code IOTCORE_TEST_INFRA} chooses ({@link InfrastructureChoice}): {@code local} is the local
 * stack, at the ports and with the logins of {@code scripts/lib/stack.env} ({@link #stackEnv()}),
 * the file the scripts source too; environment variables {@code IOTCORE_TEST_JDBC_URL}, {@code
 * IOTCORE_TEST_AMQP_PORT}, {@code IOTCORE_TEST_MQTT_PORT}, {@code IOTCORE_TEST_MANAGEMENT_PORT} and
 * {@code IOTCORE_TEST_MQTT_TLS_PORT} override them. {@code containers} starts Testcontainers from
 * the same {@code rabbitmq/} configuration the local stack uses. Unset, containers are used only
 * when a Docker engine answers and already has their images; the choice and its reason are logged
 * once.
 */
public final class Infrastructure {

  static final String POSTGRES_IMAGE = "postgres:17-alpine";
  static final String RABBITMQ_IMAGE = "rabbitmq:4.1-management";

  /** The reaper Testcontainers starts first, unless TESTCONTAINERS_RYUK_DISABLED=true; any tag. */
  static final String RYUK_REPOSITORY = "testcontainers/ryuk";

  /** Where the local environment's constants are, relative to the repository root. */
  static final String STACK_ENV = "scripts/lib/stack.env";

  // The broker's standard ports inside a container (those RabbitMQContainer maps).
  static final int CONTAINER_AMQP_PORT = 5672;
  static final int CONTAINER_MQTT_PORT = 1883;
  static final int CONTAINER_MQTT_TLS_PORT = 8883;
  static final int CONTAINER_MANAGEMENT_PORT = 15672;
  static final String CONTAINER_DEFINITIONS = "/etc/rabbitmq/definitions.json";

  /** The rabbitmq.conf keys a container's configuration sets itself (containerConfig). */
  static final Set<String> CONTAINER_KEYS =
      Set.of(
          "listeners.tcp.default",
          "management.tcp.port",
          "management.tcp.ip",
          "mqtt.listeners.tcp.default",
          "mqtt.listeners.ssl.default",
          "load_definitions",
          "log.file",
          "log.dir");

  private static final Pattern ENV_LINE = Pattern.compile("([A-Z][A-Z0-9_]*)=([^\\s'\"`$\\\\]*)");
  private static final Pattern CONF_KEY = Pattern.compile("^\\s*([A-Za-z0-9_.]+)\\s*=");

  private static final System.Logger LOG = System.getLogger(Infrastructure.class.getName());

  // Made on first use.
  private static @Nullable InfrastructureChoice choice;
  private static @Nullable Endpoints endpoints;
  private static @Nullable Map<String, String> stackEnv;
  private static @Nullable PostgreSQLContainer postgres;
  private static @Nullable RabbitMQContainer rabbit;

  private Infrastructure() {}

  /**
   * Whether this run's PostgreSQL and RabbitMQ are Testcontainers ({@code IOTCORE_TEST_INFRA},
   * {@link InfrastructureChoice}); false for the local stack.
   */
  public static synchronized boolean usesContainers() {
    if (choice == null) {
      List<String> images = new ArrayList<>(List.of(POSTGRES_IMAGE, RABBITMQ_IMAGE));
      if (!"true".equalsIgnoreCase(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
        images.add(RYUK_REPOSITORY);
      }
      choice =
          InfrastructureChoice.decide(
              System.getenv(InfrastructureChoice.SETTING), images, new DockerEngine());
      LOG.log(System.Logger.Level.INFO, "test infrastructure: " + choice.reason());
    }
    return choice.containers();
  }

  /** The endpoints of this run, starting containers on first use when they were chosen. */
  public static synchronized Endpoints endpoints() {
    if (endpoints == null) {
      endpoints = usesContainers() ? startContainers() : localStack();
    }
    return endpoints;
  }

  /**
   * The local environment's constants from {@code scripts/lib/stack.env}: ports, node names,
   * databases and development logins of the local stack and the fault suite (for example {@code
   * RMQ_AMQP_PORT}, {@code PG_TEST_DATABASE}), as the scripts see them.
   */
  public static synchronized Map<String, String> stackEnv() {
    if (stackEnv == null) {
      Path file = RepositoryFiles.find(STACK_ENV);
      stackEnv = parseStackEnv(read(file), file.toString());
    }
    return stackEnv;
  }

  /** One value of {@link #stackEnv()}; fails naming the file when it has no such setting. */
  public static String stackSetting(String name) {
    String value = stackEnv().get(name);
    if (value == null) {
      throw new IllegalStateException(STACK_ENV + " defines no " + name);
    }
    return value;
  }

  /** The PostgreSQL container, or null when the local stack is used. */
  static synchronized @Nullable PostgreSQLContainer postgresContainer() {
    endpoints();
    return postgres;
  }

  /** The RabbitMQ container, or null when the local stack is used. */
  static synchronized @Nullable RabbitMQContainer rabbitContainer() {
    endpoints();
    return rabbit;
  }

  /**
   * Reads stack.env: {@code NAME=value} lines, comments and blank lines, nothing else (no quotes,
   * spaces, {@code $} or {@code export}), so that bash and this read the same values.
   */
  static Map<String, String> parseStackEnv(String text, String source) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m = ENV_LINE.matcher(line);
      if (!m.matches()) {
        throw new IllegalStateException(
            source + ":" + (i + 1) + ": not a NAME=value line bash and Java read alike: " + line);
      }
      if (values.put(m.group(1), m.group(2)) != null) {
        throw new IllegalStateException(source + ":" + (i + 1) + ": " + m.group(1) + " twice");
      }
    }
    return Collections.unmodifiableMap(values);
  }

  /**
   * The Docker engine as Testcontainers finds it. Images are looked up with a plain client: {@link
   * DockerClientFactory#client()} would start the reaper container, pulling its image.
   */
  private static final class DockerEngine implements InfrastructureChoice.Engine {

    @Override
    public boolean answers() {
      try {
        return DockerClientFactory.instance().isDockerAvailable();
      } catch (RuntimeException e) {
        return false;
      }
    }

    @Override
    public List<String> missing(List<String> images) {
      try (DockerClient client =
          DockerClientProviderStrategy.getClientForConfig(
              DockerClientFactory.instance().getTransportConfig())) {
        return images.stream().filter(image -> !present(client, image)).toList();
      } catch (IOException | RuntimeException e) {
        return images;
      }
    }

    /** A name with a tag must exist as such; a bare repository with any tag. */
    private static boolean present(DockerClient client, String image) {
      if (image.contains(":")) {
        try {
          client.inspectImageCmd(image).exec();
          return true;
        } catch (NotFoundException e) {
          return false;
        }
      }
      return !client.listImagesCmd().withReferenceFilter(image).exec().isEmpty();
    }
  }

  private static Endpoints localStack() {
    String host = stackSetting("STACK_HOST");
    return new Endpoints(
        env(
            "IOTCORE_TEST_JDBC_URL",
            "jdbc:postgresql://"
                + host
                + ":"
                + stackSetting("PG_PORT")
                + "/"
                + stackSetting("PG_TEST_DATABASE")),
        stackSetting("PG_ROLE"),
        stackSetting("PG_PASSWORD"),
        host,
        port("IOTCORE_TEST_AMQP_PORT", "RMQ_AMQP_PORT"),
        stackSetting("RMQ_USER"),
        stackSetting("RMQ_PASSWORD"),
        port("IOTCORE_TEST_MQTT_PORT", "RMQ_MQTT_PORT"),
        stackSetting("RMQ_DEV_USER"),
        stackSetting("RMQ_DEV_PASSWORD"),
        port("IOTCORE_TEST_MANAGEMENT_PORT", "RMQ_HTTP_PORT"),
        port("IOTCORE_TEST_MQTT_TLS_PORT", "RMQ_MQTT_TLS_PORT"));
  }

  private static Endpoints startContainers() {
    postgres =
        new PostgreSQLContainer(POSTGRES_IMAGE)
            .withDatabaseName(stackSetting("PG_TEST_DATABASE"))
            .withUsername(stackSetting("PG_ROLE"))
            .withPassword(stackSetting("PG_PASSWORD"));
    Path config = RepositoryFiles.find("rabbitmq");
    rabbit =
        new RabbitMQContainer(RABBITMQ_IMAGE)
            .withCopyToContainer(
                Transferable.of(containerConfig(read(config.resolve("rabbitmq.conf")))),
                "/etc/rabbitmq/rabbitmq.conf")
            .withCopyToContainer(
                Transferable.of(read(config.resolve("enabled_plugins"))),
                "/etc/rabbitmq/enabled_plugins")
            .withCopyToContainer(
                Transferable.of(read(config.resolve("definitions.json"))), CONTAINER_DEFINITIONS)
            .withExposedPorts(
                CONTAINER_AMQP_PORT,
                CONTAINER_MQTT_PORT,
                CONTAINER_MQTT_TLS_PORT,
                CONTAINER_MANAGEMENT_PORT);
    postgres.start();
    rabbit.start();
    return new Endpoints(
        postgres.getJdbcUrl(),
        postgres.getUsername(),
        postgres.getPassword(),
        rabbit.getHost(),
        rabbit.getMappedPort(CONTAINER_AMQP_PORT),
        stackSetting("RMQ_USER"),
        stackSetting("RMQ_PASSWORD"),
        rabbit.getMappedPort(CONTAINER_MQTT_PORT),
        stackSetting("RMQ_DEV_USER"),
        stackSetting("RMQ_DEV_PASSWORD"),
        rabbit.getMappedPort(CONTAINER_MANAGEMENT_PORT),
        rabbit.getMappedPort(CONTAINER_MQTT_TLS_PORT));
  }

  /**
   * The repository's rabbitmq.conf as a container runs it: the listeners, the definitions' path and
   * logging are the container's own (the broker's standard ports, console logs), rendered after the
   * file's other settings; the file's own lines for those keys are left out, whatever their values.
   */
  static String containerConfig(String rabbitmqConf) {
    String kept =
        rabbitmqConf
            .lines()
            .filter(line -> !CONTAINER_KEYS.contains(confKey(line)))
            .collect(Collectors.joining("\n"));
    return kept
        + "\n\n# The container's own settings (test-support Infrastructure.containerConfig)\n"
        + "listeners.tcp.default = "
        + CONTAINER_AMQP_PORT
        + "\nmanagement.tcp.port = "
        + CONTAINER_MANAGEMENT_PORT
        + "\nmqtt.listeners.tcp.default = "
        + CONTAINER_MQTT_PORT
        + "\nload_definitions = "
        + CONTAINER_DEFINITIONS
        + "\n";
  }

  /** The key of a rabbitmq.conf line ({@code key = value}), or "" for comments and blanks. */
  static String confKey(String line) {
    Matcher m = CONF_KEY.matcher(line);
    return m.find() ? m.group(1) : "";
  }

  private static int port(String override, String setting) {
    return Integer.parseInt(env(override, stackSetting(setting)));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
