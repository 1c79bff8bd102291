package io.asyncrpc.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.testcontainers.containers.Container;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * Raises and clears a real RabbitMQ memory alarm on the test broker, with {@code rabbitmqctl}: in
 * the container when the tests use Testcontainers, through {@code scripts/stack ctl} on the local
 * stack. While the alarm holds, the broker blocks every publishing connection ({@code
 * connection.blocked}).
 *
 * <p>The alarm affects everyone using the broker: raise it only while holding the integration-test
 * lock, and always {@link #close()} it (it restores the watermark read before raising).
 */
public final class BrokerAlarm implements AutoCloseable {

  private static final String WATERMARK_QUERY = "vm_memory_monitor:get_vm_memory_high_watermark().";

  // One of the two: the container of the test broker, or the stack script of the local one.
  private final @Nullable RabbitMQContainer container;
  private final @Nullable Path stackScript;
  private @Nullable String original;

  private BrokerAlarm(@Nullable RabbitMQContainer container, @Nullable Path stackScript) {
    this.container = container;
    this.stackScript = stackScript;
  }

  /** A controller of the test broker, or empty when {@code rabbitmqctl} cannot be reached. */
  public static Optional<BrokerAlarm> forTestBroker() {
    BrokerAlarm alarm;
    if (Infrastructure.usesContainers()) {
      alarm = new BrokerAlarm(Infrastructure.rabbitContainer(), null);
    } else {
      Path script = RepositoryFiles.find("scripts/stack");
      if (!Files.isExecutable(script)) {
        return Optional.empty();
      }
      alarm = new BrokerAlarm(null, script);
    }
    try {
      alarm.watermark();
      return Optional.of(alarm);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The memory high watermark now, as {@code rabbitmqctl eval} prints it. */
  public String watermark() {
    return ctl("eval", WATERMARK_QUERY).strip();
  }

  /** Sets the watermark so low that the memory alarm goes off at once. */
  public void raiseMemoryAlarm() {
    if (original == null) {
      original = watermark();
    }
    ctl("set_vm_memory_high_watermark", "0.0001");
  }

  /** Restores the watermark read before the alarm was raised; the alarm clears. */
  public void clear() {
    if (original == null) {
      return;
    }
    // {absolute,N} for an absolute limit, else a fraction of the machine's memory.
    String value = original.replaceAll("\\s", "");
    if (value.startsWith("{absolute,")) {
      ctl(
          "set_vm_memory_high_watermark",
          "absolute",
          value.substring("{absolute,".length(), value.length() - 1));
    } else {
      ctl("set_vm_memory_high_watermark", value);
    }
    original = null;
  }

  @Override
  public void close() {
    clear();
  }

  private String ctl(String... args) {
    try {
      if (container != null) {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
        command.addAll(List.of(args));
        Container.ExecResult result = container.execInContainer(command.toArray(String[]::new));
        if (result.getExitCode() != 0) {
          throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + ": " + result);
        }
        return result.getStdout();
      }
      Path script = Objects.requireNonNull(stackScript, "a stack script without a container");
      List<String> command = new ArrayList<>(List.of(script.toString(), "ctl"));
      command.addAll(List.of(args));
      Process process =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(
            "scripts/stack ctl " + String.join(" ", args) + ": " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
